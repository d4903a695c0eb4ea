"""Joining and the member's own account: sign-up with identity verification (본인인증),
consent (개인정보보호법), profile, password change and reset, my-data download and closing
the account (탈퇴)."""
