"""Legal's rules, as aggregates with methods (no I/O): the district's data (district.py), 普法 and
civic content with its two-person review (content.py), legal consultations with the villages'
advisors (consultations.py), the advisors' duties per village (duties.py)."""

from legal.domain.consultations import Consultation, ConsultationEscalated, ConsultationStep, Message
from legal.domain.content import Content, ContentStep
from legal.domain.district import District, Districts
from legal.domain.duties import DutyRecord
from legal.domain.quizzes import Attempt, QuizSubmitted
from legal.domain.roles import Role
from legal.domain.volunteers import Activity, HoursCorrection, SignUp, VolunteerStep

__all__ = [
    "Attempt",
    "QuizSubmitted",
    "Activity",
    "HoursCorrection",
    "SignUp",
    "VolunteerStep",
    "Consultation",
    "ConsultationEscalated",
    "ConsultationStep",
    "Content",
    "ContentStep",
    "District",
    "DutyRecord",
    "Districts",
    "Message",
    "Role",
]
