"""Walking pages under /walking/ (included once from mileage/web/urls.py)."""

from django.urls import path

from .views import campaigns, city, courses, fairplay, member, partner, sponsor

app_name = "walking"

urlpatterns = [
    path("", member.my_walking, name="home"),
    path("link/", member.link_app, name="link"),
    path("link/<int:link_id>/unlink/", member.unlink_app, name="unlink"),
    path("stride/", member.set_stride, name="stride"),
    path("held/<int:held_id>/appeal/", member.held_appeal, name="held_appeal"),
    path("campaigns/", member.campaigns, name="campaigns"),
    path("campaigns/<slug:slug>/", campaigns.campaign_page, name="campaign"),
    path("campaigns/<slug:slug>/join/", campaigns.join, name="campaign_join"),
    path("campaigns/<slug:slug>/qr.svg", campaigns.qr_svg, name="campaign_qr"),
    path("campaigns/<slug:slug>/print/", campaigns.qr_print, name="campaign_print"),
    path("campaigns/<slug:slug>/donate/", member.donate, name="donate"),
    path("challenges/", member.challenge_list, name="challenges"),
    path("challenges/<slug:slug>/join/", member.challenge_join, name="challenge_join"),
    path("challenges/<slug:slug>/settle/", member.challenge_settle, name="challenge_settle"),
    path("events/", member.event_list, name="events"),
    path("events/<slug:slug>/register/", member.event_register, name="event_register"),
    path("events/<slug:slug>/check-in/", member.event_check_in, name="event_check_in"),
    path("coupons/", member.coupon_list, name="coupons"),
    path("coupons/<int:coupon_id>/buy/", member.coupon_buy, name="coupon_buy"),
    path("coupons/<int:coupon_id>/claim/", campaigns.coupon_claim, name="coupon_claim"),
    path("courses/", courses.course_list, name="courses"),
    path("courses/<slug:slug>/", courses.course_detail, name="course"),
    path("courses/<slug:slug>/complete/", courses.course_complete, name="course_complete"),
    path("partner/steps/", partner.steps_upload, name="partner_steps"),
    path("merchant/", partner.merchant_redeem, name="merchant"),
    path("city/", city.city_report, name="city"),
    path("city/fairplay/", fairplay.held_days, name="city_fairplay"),
    path("city/fairplay/<int:held_id>/decide/", fairplay.decide, name="city_fairplay_decide"),
    path("sponsor/", sponsor.report, name="sponsor"),
    path("sponsor/export.<str:fmt>", sponsor.export, name="sponsor_export"),
]
