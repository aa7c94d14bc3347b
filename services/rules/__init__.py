"""Rules several domains share, written once (no I/O, nothing of any one service): the 好差评
ratings (ratings.py) and deadline arithmetic (deadlines.py). The numbers (time limits, working
days, thresholds, indicator names) come from the caller's own catalog."""
