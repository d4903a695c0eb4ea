"""Walking mileage tables (보행 마일리지), WALK-1..7. One module per idea."""

from .campaigns import CampaignEntry, CampaignReward, SponsorBudget, WalkCampaign
from .coupons import Coupon, CouponPurchase
from .courses import Course, CourseCompletion
from .donations import Challenge, ChallengeEntry, DonationCampaign, StepDonation, StepDonationDay
from .events import BonusDay, Event, EventRegistration
from .links import AppLink, WalkerProfile, WalkingPartner
from .steps import AccrualChunk, AccrualRun, DayAccrual, StepImport, StepReport

__all__ = [
    "AccrualChunk",
    "AccrualRun",
    "AppLink",
    "BonusDay",
    "CampaignEntry",
    "CampaignReward",
    "Challenge",
    "ChallengeEntry",
    "Coupon",
    "CouponPurchase",
    "Course",
    "CourseCompletion",
    "DayAccrual",
    "DonationCampaign",
    "Event",
    "EventRegistration",
    "SponsorBudget",
    "StepDonation",
    "StepDonationDay",
    "StepImport",
    "StepReport",
    "WalkCampaign",
    "WalkerProfile",
    "WalkingPartner",
]
