from django.urls import path

from .views import account, data, dev, reset, signup

app_name = "members"

urlpatterns = [
    path("signup/", signup.signup, name="signup"),
    path("signup/verify/", signup.signup_verify, name="signup_verify"),
    path("signup/account/", signup.signup_account, name="signup_account"),
    path("dev/messages/", dev.dev_messages, name="dev_messages"),
    path("account/", account.profile, name="profile"),
    path("account/verify/", account.reverify, name="reverify"),
    path("account/verify/code/", account.reverify_code, name="reverify_code"),
    path("account/notices/", account.notices, name="notices"),
    path("account/password/", account.password_change, name="password"),
    path("account/consents/<str:item>/", account.consent, name="consent"),
    path("account/data/", data.my_data, name="my_data"),
    path("account/close/", data.close, name="close"),
    path("password/reset/", reset.reset_start, name="reset"),
    path("password/reset/verify/", reset.reset_verify, name="reset_verify"),
    path("password/reset/new/", reset.reset_new, name="reset_new"),
]
