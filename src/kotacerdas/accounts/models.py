import rules
from django.contrib.auth.models import (
    AbstractBaseUser,
    BaseUserManager,
    PermissionsMixin,
    _user_has_perm,
)
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    """The roles of the programme; a user may hold several."""

    PARTICIPANT = "participant", _("participant coordinator")
    REGION_MEMBER = "region_member", _("region team member")
    ADMIN = "admin", _("institute admin")
    ASSESSOR = "assessor", _("assessor")
    INSTRUCTOR = "instructor", _("instructor")

    @classmethod
    def region_roles(cls):
        """Roles that belong to exactly one region."""
        return {cls.PARTICIPANT, cls.REGION_MEMBER}


# The order in which a user with several roles is shown their dashboards: the
# institute's work first, because an admin who is also an instructor mostly admins.
ROLE_PRIORITY = [
    Role.ADMIN,
    Role.ASSESSOR,
    Role.INSTRUCTOR,
    Role.PARTICIPANT,
    Role.REGION_MEMBER,
]


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **fields):
        if not email:
            raise ValueError("An e-mail address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **fields):
        fields.setdefault("is_staff", False)
        fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **fields)

    def create_superuser(self, email, password=None, **fields):
        fields.setdefault("is_staff", True)
        fields.setdefault("is_superuser", True)
        user = self._create_user(email, password, **fields)
        UserRole.objects.get_or_create(user=user, role=Role.ADMIN)
        return user

    def get_by_natural_key(self, username):
        return self.get(email__iexact=username)


class User(AbstractBaseUser, PermissionsMixin):
    """A person who logs in with their e-mail address."""

    email = models.EmailField(_("e-mail address"), unique=True)
    full_name = models.CharField(_("full name"), max_length=150)
    phone = models.CharField(_("phone"), max_length=30, blank=True)
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="users",
        help_text=_("Required for participants and region team members."),
    )
    agency = models.CharField(_("agency (OPD)"), max_length=150, blank=True)
    position = models.CharField(_("position"), max_length=150, blank=True)
    preferred_language = models.CharField(
        _("preferred language"),
        max_length=5,
        choices=[("id", _("Indonesian")), ("en", _("English"))],
        default="id",
    )
    is_active = models.BooleanField(_("active"), default=True)
    is_staff = models.BooleanField(
        _("staff status"),
        default=False,
        help_text=_("Whether the user can log into the management site."),
    )
    date_joined = models.DateTimeField(_("date joined"), default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS = ["full_name"]

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        ordering = ["full_name", "email"]

    def __str__(self):
        return self.full_name or self.email

    def get_full_name(self):
        return self.full_name

    def has_perm(self, perm, obj=None):
        """Django grants a superuser every permission; the procedure's named
        rules (``rules.add_perm``) hold for superusers too.

        The superuser flag opens the management site; whether someone may draft
        a report or score a stage is the role's question, so that an admin who
        is also a superuser cannot act as the lead assessor by accident.
        """
        if self.is_active and self.is_superuser and not rules.perm_exists(perm):
            return True
        return _user_has_perm(self, perm, obj)

    def get_short_name(self):
        return self.full_name.split(" ")[0] if self.full_name else self.email

    @property
    def role_set(self):
        """The user's roles, read once per request and kept on the instance."""
        if not hasattr(self, "_role_cache"):
            if not self.pk:
                self._role_cache = frozenset()
            else:
                self._role_cache = frozenset(self.roles.values_list("role", flat=True))
        return self._role_cache

    def has_role(self, role):
        return self.is_active and role in self.role_set

    @property
    def ordered_roles(self):
        return [role for role in ROLE_PRIORITY if role in self.role_set]

    @property
    def primary_role(self):
        roles = self.ordered_roles
        return roles[0] if roles else None


class UserRole(models.Model):
    user = models.ForeignKey(
        User, verbose_name=_("user"), on_delete=models.CASCADE, related_name="roles"
    )
    role = models.CharField(_("role"), max_length=20, choices=Role.choices)
    granted_at = models.DateTimeField(_("granted at"), auto_now_add=True)

    class Meta:
        verbose_name = _("role")
        verbose_name_plural = _("roles")
        constraints = [
            models.UniqueConstraint(fields=["user", "role"], name="unique_user_role")
        ]

    def __str__(self):
        return self.get_role_display()


class Invitation(models.Model):
    """A coordinator's invitation to join the region's team.

    The link in the e-mail carries the invitation's id and ``key``, signed with
    the site's secret (``accounts.team``). The key is random and changes when the
    invitation is sent again, so an older link stops working; without the
    secret nobody can make a valid link from what is stored here.
    """

    email = models.EmailField(_("e-mail address"))
    region = models.ForeignKey(
        "regions.Region",
        verbose_name=_("region"),
        on_delete=models.PROTECT,
        related_name="invitations",
    )
    agency = models.CharField(_("agency (OPD)"), max_length=150)
    position = models.CharField(_("position"), max_length=150)
    language = models.CharField(
        _("language of the e-mail"),
        max_length=5,
        choices=[("id", _("Indonesian")), ("en", _("English"))],
        default="id",
    )
    invited_by = models.ForeignKey(
        User,
        verbose_name=_("invited by"),
        on_delete=models.SET_NULL,
        null=True,
        related_name="+",
    )
    key = models.CharField(max_length=64, editable=False)
    created_at = models.DateTimeField(_("invited at"), default=timezone.now)
    sent_at = models.DateTimeField(_("last sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires at"))
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)
    accepted_user = models.OneToOneField(
        User,
        verbose_name=_("account"),
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="invitation",
    )
    cancelled_at = models.DateTimeField(_("cancelled at"), null=True, blank=True)
    # What happened to the last e-mail, so that the coordinator sees a failure.
    emailed_at = models.DateTimeField(_("e-mailed at"), null=True, blank=True)
    email_error = models.CharField(_("e-mail problem"), max_length=255, blank=True)

    class Meta:
        verbose_name = _("team invitation")
        verbose_name_plural = _("team invitations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["email"],
                condition=models.Q(accepted_at__isnull=True, cancelled_at__isnull=True),
                name="one_open_invitation_per_email",
            )
        ]

    def __str__(self):
        return self.email

    @property
    def is_open(self):
        return self.accepted_at is None and self.cancelled_at is None

    @property
    def is_expired(self):
        return timezone.now() >= self.expires_at
