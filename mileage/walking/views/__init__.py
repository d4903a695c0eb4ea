"""Walking pages: member (시민), partner (보행 앱, 가맹점), city (서울시) and public courses."""
