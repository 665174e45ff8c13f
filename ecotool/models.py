"""Imports every area's models so the metadata (and Alembic) sees all tables."""
from ecotool.audit import AuditEvent
from ecotool.auth.models import Membership, Person
from ecotool.capture.models import Case, ContactAttempt, Observation, ObservationComment
from ecotool.decisions.models import Decision, DecisionChange, DecisionReview
from ecotool.framework.models import Domain, FrameworkVersion, Prompt, Trigger
from ecotool.reports.models import Brief
from ecotool.services.models import Pathway, Service, TargetRule
from ecotool.submissions import Submission
from ecotool.supervision.models import SessionPrompt, SupervisionSession

__all__ = [
    "AuditEvent", "Brief", "Case", "ContactAttempt", "Decision", "DecisionChange", "DecisionReview", "Domain", "FrameworkVersion",
    "Membership", "Observation", "ObservationComment", "Pathway", "Person", "Prompt", "Service", "SessionPrompt",
    "Submission", "SupervisionSession", "TargetRule", "Trigger",
]
