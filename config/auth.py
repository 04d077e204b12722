"""Sign-in, sign-out and password reset with GOV.UK-styled forms (Django's own auth views)."""

from django.contrib.auth import forms as auth_forms
from django.contrib.auth import views as auth_views
from django.urls import path

from config.forms import GovukFormMixin


class SignInForm(GovukFormMixin, auth_forms.AuthenticationForm):
    pass


class ResetRequestForm(GovukFormMixin, auth_forms.PasswordResetForm):
    pass


class NewPasswordForm(GovukFormMixin, auth_forms.SetPasswordForm):
    pass


urlpatterns = [
    path("sign-in/", auth_views.LoginView.as_view(authentication_form=SignInForm), name="login"),
    path("sign-out/", auth_views.LogoutView.as_view(), name="logout"),
    path("password-reset/", auth_views.PasswordResetView.as_view(form_class=ResetRequestForm), name="password_reset"),
    path("password-reset/sent/", auth_views.PasswordResetDoneView.as_view(), name="password_reset_done"),
    path("password-reset/<uidb64>/<token>/",
         auth_views.PasswordResetConfirmView.as_view(form_class=NewPasswordForm), name="password_reset_confirm"),
    path("password-reset/complete/", auth_views.PasswordResetCompleteView.as_view(),
         name="password_reset_complete"),
]
