from django.urls import path

from .views import dev, signup

app_name = "members"

urlpatterns = [
    path("signup/", signup.signup, name="signup"),
    path("signup/verify/", signup.signup_verify, name="signup_verify"),
    path("signup/account/", signup.signup_account, name="signup_account"),
    path("dev/messages/", dev.dev_messages, name="dev_messages"),
]
