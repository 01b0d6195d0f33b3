from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.contrib.auth.decorators import login_not_required
from django.shortcuts import redirect, render
from django.urls import reverse, reverse_lazy
from django.utils import translation
from django.utils.decorators import method_decorator
from django.utils.translation import gettext as _

from kotacerdas.accounts.forms import (
    EmailLoginForm,
    LocalizedPasswordResetForm,
    ProfileForm,
)
from kotacerdas.common.audit import record


@method_decorator(login_not_required, name="dispatch")
class LoginView(auth_views.LoginView):
    template_name = "accounts/login.html"
    form_class = EmailLoginForm
    redirect_authenticated_user = True

    def get_default_redirect_url(self):
        # Land on the dashboard in the language the user chose, whatever the
        # language of the login page was.
        with translation.override(self.request.user.preferred_language):
            return reverse("dashboard:home")


class PasswordChangeView(auth_views.PasswordChangeView):
    template_name = "accounts/password_change.html"
    success_url = reverse_lazy("accounts:profile")

    def form_valid(self, form):
        response = super().form_valid(form)
        record(
            actor=self.request.user, action="account.password_changed", obj=form.user
        )
        messages.success(self.request, _("Your password has been changed."))
        return response


@method_decorator(login_not_required, name="dispatch")
class PasswordResetView(auth_views.PasswordResetView):
    template_name = "accounts/password_reset.html"
    email_template_name = "accounts/email/password_reset.txt"
    subject_template_name = "accounts/email/password_reset_subject.txt"
    form_class = LocalizedPasswordResetForm
    success_url = reverse_lazy("accounts:password_reset_done")


@method_decorator(login_not_required, name="dispatch")
class PasswordResetDoneView(auth_views.PasswordResetDoneView):
    template_name = "accounts/password_reset_done.html"


@method_decorator(login_not_required, name="dispatch")
class PasswordResetConfirmView(auth_views.PasswordResetConfirmView):
    template_name = "accounts/password_reset_confirm.html"
    success_url = reverse_lazy("accounts:password_reset_complete")


@method_decorator(login_not_required, name="dispatch")
class PasswordResetCompleteView(auth_views.PasswordResetCompleteView):
    template_name = "accounts/password_reset_complete.html"


def profile(request):
    form = ProfileForm(request.POST or None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        language_changed = "preferred_language" in form.changed_data
        user = form.save()
        if language_changed:
            record(
                actor=user,
                action="account.language_changed",
                obj=user,
                note=user.preferred_language,
            )
        messages.success(request, _("Your profile has been saved."))
        with translation.override(user.preferred_language):
            return redirect(reverse("accounts:profile"))
    return render(request, "accounts/profile.html", {"form": form})
