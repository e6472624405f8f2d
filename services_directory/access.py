"""Who is who, and who may see or do what: the one home of the portal's permission rules.

Every app asks here; views keep a `_get_x_for_user` helper at their top that calls these
rules and raises 404/403. Deny by default: anonymous visitors, inactive accounts and
accounts without a role get nothing, and each rule lists who is allowed, never who is not.

Roles (a `StaffProfile` per professional account; superusers are "admin"):
- adviser: a counter (France Services, accueil…) that orients visitors to services;
- partner staff: a partner's professional, who receives orientations and answers them;
- coordinator: the chargée de mission; reads everything anonymised, edits content in the
  admin, never sees a visitor's name;
- admin: the technical administrator.

Orientations are checked by duck typing (`from_partner_id`, `to_partner_id`, `kind`) so
this module stays below the orientations app.
"""

from django.conf import settings
from django.contrib.auth.models import Group, Permission
from django.core import signing
from django.db.models import Q

from .models import FreshnessRequest, Partner, Role, Service, StaffProfile

ADMIN = "admin"
# The kind of orientation the receiving partner is not told about (nothing to answer).
INFORMATION_KIND = "information"
# The two sides of an orientation, as the orientations' workflow names them.
SENDER = "sender"
RECEIVER = "receiver"
COORDINATION_GROUP = "Coordination"


def _profile(user) -> StaffProfile | None:
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return None
    try:
        return user.staff_profile
    except StaffProfile.DoesNotExist:
        return None


def role_of(user) -> str | None:
    """ "admin", one of Role's values, or None for anonymous, inactive and role-less accounts."""
    if getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser:
        return ADMIN
    profile = _profile(user)
    return profile.role if profile else None


def partner_of(user) -> Partner | None:
    """The partner an active professional account works for (None for the coordinator)."""
    profile = _profile(user)
    return profile.partner if profile else None


def _partner_with_role(user, role: str) -> Partner | None:
    profile = _profile(user)
    if profile is None or profile.role != role or user.is_superuser:
        return None
    return profile.partner


# --- the staff areas -------------------------------------------------------------------


def counter_partner(user) -> Partner | None:
    """The structure on whose behalf this person orients visitors at the counter: an
    adviser's, and a partner's staff too (the RPE orients a family on to the youth
    service itself: the passerelles are recorded by the services)."""
    return _partner_with_role(user, Role.ADVISER) or _partner_with_role(user, Role.PARTNER_STAFF)


def inbox_partner(user) -> Partner | None:
    """The partner whose received orientations this person answers."""
    return _partner_with_role(user, Role.PARTNER_STAFF)


def is_coordinator(user) -> bool:
    return role_of(user) == Role.COORDINATOR


def can_view_dashboard(user) -> bool:
    """The indicators are aggregates (masked under the threshold): the coordinator, admins,
    and any account the coordinator opened them to with the admin's permission."""
    if role_of(user) in (ADMIN, Role.COORDINATOR):
        return True
    return bool(
        getattr(user, "is_authenticated", False)
        and user.is_active
        and user.has_perm("indicators.view_dashboard")
    )


def can_answer_survey(user) -> bool:
    """The professionals' questionnaire is for those who orient and receive visitors
    (StaffProfile.objects.surveyed(), read from the profile already loaded)."""
    profile = _profile(user)
    return (
        profile is not None
        and profile.role in (Role.ADVISER, Role.PARTNER_STAFF)
        and profile.partner_id is not None
        and not user.is_superuser
    )


def can_preview_drafts(user) -> bool:
    """Draft content (a pathway's preview) is for the accounts that edit it in the admin."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_staff)


def can_grant_admin_rights(user) -> bool:
    """Only an admin may see other admins' accounts or make someone staff or superuser."""
    return bool(getattr(user, "is_authenticated", False) and user.is_active and user.is_superuser)


# --- orientations ----------------------------------------------------------------------


def referrals_q(user) -> Q:
    """The orientations this person may open: the sender's own (an adviser's or a
    partner's), the receiver's (except information-only ones, nothing to answer), all of
    them anonymised for coordination."""
    role = role_of(user)
    if role in (ADMIN, Role.COORDINATOR):
        return Q()
    partner = partner_of(user)
    if partner is not None and role == Role.ADVISER:
        return Q(from_partner=partner)
    if partner is not None and role == Role.PARTNER_STAFF:
        return (Q(to_partner=partner) & ~Q(kind=INFORMATION_KIND)) | Q(from_partner=partner)
    return Q(pk__in=[])


def referral_sides(user, referral) -> frozenset[str]:
    """Which side of this orientation the person stands on: sender, receiver, or none."""
    sides = set()
    sender = counter_partner(user)
    if sender is not None and sender.pk == referral.from_partner_id:
        sides.add(SENDER)
    receiver = inbox_partner(user)
    if (
        receiver is not None
        and receiver.pk == referral.to_partner_id
        and referral.kind != INFORMATION_KIND
    ):
        sides.add(RECEIVER)
    return frozenset(sides)


def sees_personal_data(user, referral) -> bool:
    """Names and contacts: only the two professionals of the orientation, never the
    coordinator nor an admin (they read the anonymised record)."""
    return bool(referral_sides(user, referral))


def may_record_family_answer(user, referral) -> bool:
    """What the family said at the counter or on the phone is recorded by the sender."""
    return SENDER in referral_sides(user, referral)


# --- partners' sheets ("Mes services") and the freshness links -------------------------


def sheet_partner(user) -> Partner | None:
    """The partner whose services' sheets this person keeps up to date: its own staff, at
    the counter or receiving orientations (the coordination edits in the admin)."""
    profile = _profile(user)
    if profile is None or user.is_superuser:
        return None
    if profile.role not in (Role.ADVISER, Role.PARTNER_STAFF):
        return None
    return profile.partner


def may_edit_sheet(user, service) -> bool:
    partner = sheet_partner(user)
    return partner is not None and partner.pk == service.partner_id


def can_moderate_sheets(user) -> bool:
    """Changes of what a service does or who it is for wait for the coordination."""
    return role_of(user) in (ADMIN, Role.COORDINATOR)


SHEET_LINK_SALT = "services_directory.sheet-link"


def sheet_link_token(freshness_request: FreshnessRequest) -> str:
    """The signed part of the link an e-mail sends to a partner, for one service's sheet."""
    payload = {"r": freshness_request.pk, "s": freshness_request.service_id}
    return signing.dumps(payload, salt=SHEET_LINK_SALT)


def freshness_request_for_token(token: str) -> FreshnessRequest | None:
    """The request a signed link was sent with, while the link is valid
    (FRESHNESS_LINK_DAYS): its holder, who has no account, may confirm or edit that one
    service's sheet, nothing else. A forged, altered or expired link gives nothing, nor
    does a link to an archived service."""
    try:
        payload = signing.loads(
            token, salt=SHEET_LINK_SALT, max_age=settings.FRESHNESS_LINK_DAYS * 86400
        )
    except signing.BadSignature:  # SignatureExpired included
        return None
    if not isinstance(payload, dict):
        return None
    return (
        FreshnessRequest.objects.select_related("service__partner")
        .filter(pk=payload.get("r"), service_id=payload.get("s"))
        .exclude(service__status=Service.Status.ARCHIVED)
        .first()
    )


# --- the coordination account's admin rights --------------------------------------------


def ensure_coordination_group():
    """The coordinator's admin rights: contents, accounts, anonymised orientations."""
    group, _created = Group.objects.get_or_create(name=COORDINATION_GROUP)
    permissions = Permission.objects.filter(
        Q(content_type__app_label__in=["services_directory", "pathways"])
        | Q(content_type__app_label="auth", codename__in=["add_user", "change_user", "view_user"])
        | Q(
            content_type__app_label="orientations",
            codename__in=["view_referral", "view_unmetneed", "view_auditlog"],
        )
    )
    group.permissions.set(permissions)
    return group
