"""Complaint records, split by responsibility; import from here."""

from complaints.models.case import (
    OPEN,
    RESPONDED,
    STAGE_OF_STATE,
    TERMINAL,
    WORKING,
    Channel,
    Complainant,
    Complaint,
    Consent,
    ServiceArea,
    State,
)
from complaints.models.records import (
    Action,
    CaseStage,
    Attachment,
    ComplaintLink,
    Correspondence,
    Deadline,
    DeadlineKind,
    DeliveryStatus,
    Extension,
    Feedback,
    FeedbackKind,
    LetterKind,
    LinkKind,
    Note,
    Outcome,
    StageOutcome,
)
from complaints.models.notifications import Notification, NotificationKind
from complaints.models.staff import StaffMember, StaffRole

__all__ = [
    "OPEN", "RESPONDED", "STAGE_OF_STATE", "TERMINAL", "WORKING",
    "Action", "Attachment", "CaseStage", "Channel", "Complainant", "Complaint", "ComplaintLink", "Consent",
    "Correspondence", "Deadline", "DeadlineKind", "DeliveryStatus", "Extension", "Feedback", "FeedbackKind",
    "LetterKind", "LinkKind",
    "Note", "Notification", "NotificationKind", "Outcome", "ServiceArea", "StaffMember", "StaffRole", "StageOutcome", "State",
]
