"""Who may see the indicators and who answers the professionals' questionnaire.

The dashboard shows aggregates only (masked under 5 people), so it is readable by:
- the coordinator (chargée de mission) and administrators;
- any account given the permission « Peut consulter le tableau de bord des indicateurs »
  in the admin: that is how the coordinator opens it, read-only, to a partner's account.
Everyone else gets a 403; anonymous visitors are sent to the login page first.
"""

from django.contrib.auth import get_user_model

from orientations.models import Role, StaffProfile, role_of

SURVEYED_ROLES = (Role.ADVISER, Role.PARTNER_STAFF)


def can_view_dashboard(user) -> bool:
    role = role_of(user)
    if role in ("admin", Role.COORDINATOR):
        return True
    return bool(
        user.is_authenticated and user.is_active and user.has_perm("indicators.view_dashboard")
    )


def can_answer_survey(user) -> bool:
    return role_of(user) in SURVEYED_ROLES


def count_surveyed_professionals() -> int:
    """Active adviser and partner-staff accounts: the default denominator of a campaign."""
    active_users = get_user_model().objects.filter(is_active=True)
    return StaffProfile.objects.filter(role__in=SURVEYED_ROLES, user__in=active_users).count()
