"""The emergency broadcast's rules, by subdomain. No I/O: the store loads the data files and keeps
the aggregates, the handlers call them, the servicer maps them to protobuf.

- message: the alert message (CAP or the national feed, normalized) and the rules CAP's schema cannot check;
- levels: the Chinese warning levels;
- areas: the district's areas, and which of them an alert targets;
- access: the roles, and who may do what;
- alert: the Alert aggregate and its approval (the two-person rule);
- trail: what happened to an alert, each step an event and a line of its audit trail;
- broadcast: what terminals are sent;
- delivery: terminals, deliveries and the receipt ladder;
- ebm: the EB message the village loudspeakers get;
- endpoints: the networks and hosts loudspeaker controllers may be at.
"""

from alerts.domain.access import Role, check_sender, department_of, is_alert_staff, require_signed_in, role_of
from alerts.domain.alert import Alert, Draft, State, no_such_alert
from alerts.domain.areas import Area, Areas, covers, is_targeted, resolve_targets
from alerts.domain.broadcast import Broadcast, counts_receipts, kind_of
from alerts.domain.commitments import ChannelCommitment, DeliveryCommitments
from alerts.domain.delivery import (
    RECEIPT_KINDS,
    RECEIPT_RANK,
    AreaStatus,
    Channel,
    Delivery,
    Receipt,
    Terminal,
    TerminalAuditEntry,
    addressed,
    check_alert_id,
    check_token,
    delivery_status,
)
from alerts.domain.ebm import EbdFields, ebd_id, ebm_type, render_ebd
from alerts.domain.endpoints import EndpointAllowList, parse_endpoint
from alerts.domain.errors import AlertNotFound, AlreadyReceived, NotAllowedNow, NotSentToTerminal, TwoPersonRule
from alerts.domain.levels import Level, Levels
from alerts.domain.message import (
    CHINA,
    AlertMessage,
    AlertText,
    CapArea,
    authored_identifier,
    cap_time,
    check_rules,
    circle_shape,
    order_texts,
    parse_reference,
    polygon_shape,
    with_level,
    with_repaired_polygons,
)
from alerts.domain.trail import (
    AlertApproved,
    AlertCancelled,
    AlertCancelledByMessage,
    AlertDrafted,
    AlertExpired,
    AlertIssued,
    AlertReceived,
    AlertRejected,
    AlertSentAgain,
    AlertStep,
    AlertSubmitted,
    AlertSuperseded,
    ApprovalSkipped,
    AuditEntry,
)

__all__ = [
    "ChannelCommitment",
    "DeliveryCommitments",
    "CHINA",
    "RECEIPT_KINDS",
    "RECEIPT_RANK",
    "Alert",
    "AlertApproved",
    "AlertCancelled",
    "AlertCancelledByMessage",
    "AlertDrafted",
    "AlertExpired",
    "AlertIssued",
    "AlertMessage",
    "AlertNotFound",
    "AlertReceived",
    "AlertRejected",
    "AlertSentAgain",
    "AlertStep",
    "AlertSubmitted",
    "AlertSuperseded",
    "AlertText",
    "AlreadyReceived",
    "ApprovalSkipped",
    "Area",
    "AreaStatus",
    "Areas",
    "AuditEntry",
    "Broadcast",
    "CapArea",
    "Channel",
    "Delivery",
    "Draft",
    "EbdFields",
    "Level",
    "Levels",
    "NotAllowedNow",
    "NotSentToTerminal",
    "Receipt",
    "Role",
    "State",
    "Terminal",
    "TerminalAuditEntry",
    "EndpointAllowList",
    "parse_endpoint",
    "TwoPersonRule",
    "addressed",
    "authored_identifier",
    "cap_time",
    "check_alert_id",
    "check_token",
    "check_rules",
    "with_repaired_polygons",
    "circle_shape",
    "counts_receipts",
    "covers",
    "delivery_status",
    "check_sender",
    "department_of",
    "ebd_id",
    "ebm_type",
    "is_alert_staff",
    "is_targeted",
    "kind_of",
    "no_such_alert",
    "order_texts",
    "parse_reference",
    "polygon_shape",
    "render_ebd",
    "require_signed_in",
    "resolve_targets",
    "role_of",
    "with_level",
]
