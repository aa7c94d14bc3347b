"""Rules several domains share, written once (no I/O, nothing of any one service): the 好差评
ratings (ratings.py), deadline arithmetic (deadlines.py), escalation timetables (escalation.py),
acting for someone else (acting.py) and capacity-limited booking (booking.py).
The numbers (time limits, working days, thresholds, indicator names) come from the caller's own
catalog."""
