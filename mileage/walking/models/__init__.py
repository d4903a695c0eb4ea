"""Walking mileage tables (보행 마일리지), WALK-1..7. One module per idea."""

from .campaigns import CampaignEntry, CampaignReward, SponsorBudget, WalkCampaign
from .coupons import Coupon, CouponPurchase
from .courses import Course, CourseCompletion
from .donations import Challenge, ChallengeEntry, DonationCampaign, StepDonation, StepDonationDay
from .events import BonusDay, Event, EventRegistration
from .fairplay import HeldDay, HeldKind, HeldStatus, StepExtra
from .links import AppLink, WalkerProfile, WalkingPartner
from .stamps import StampCheckIn, StampPoint
from .steps import AccrualChunk, AccrualRun, DayAccrual, StepImport, StepReport
from .topups import DayTopUp, TopUpRun

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
    "DayTopUp",
    "DonationCampaign",
    "Event",
    "EventRegistration",
    "HeldDay",
    "HeldKind",
    "HeldStatus",
    "SponsorBudget",
    "StampCheckIn",
    "StampPoint",
    "StepDonation",
    "StepDonationDay",
    "StepExtra",
    "StepImport",
    "StepReport",
    "TopUpRun",
    "WalkCampaign",
    "WalkerProfile",
    "WalkingPartner",
]
