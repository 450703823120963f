import time

from allauth.mfa import app_settings
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from participants.demo import DEMO_STAFF_EMAIL, DEMO_TOTP_SECRET


class Command(BaseCommand):
    help = "Print the current TOTP code of the demo staff account (development only)."

    def handle(self, *args, **options) -> None:
        if not settings.DEBUG:
            raise CommandError("Development only: refused without DEBUG.")
        counter = int(time.time()) // app_settings.TOTP_PERIOD
        self.stdout.write(f"{DEMO_STAFF_EMAIL}: {format_hotp_value(hotp_value(DEMO_TOTP_SECRET, counter))}")
