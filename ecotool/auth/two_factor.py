"""Two-factor sign-in with an authenticator app (TOTP, RFC 6238, through pyotp): the secret and its QR code."""
from __future__ import annotations

import base64
import hashlib
import hmac
import io

import pyotp
import qrcode
import qrcode.image.svg

from ecotool.auth.models import Person


def new_secret(key: str, person_id: int, nonce: str) -> str:
    """The secret offered to her authenticator app while she sets it up (160 bits, base32), made from the app's key
    and a random nonce, so the browser's cookie carries only the nonce, never the secret."""
    digest = hmac.new(key.encode(), f"totp:{person_id}:{nonce}".encode(), hashlib.sha256).digest()
    return base64.b32encode(digest[:20]).decode()


def app_address(person: Person, secret: str) -> str:
    """The otpauth:// address an authenticator app reads from the QR code."""
    return pyotp.TOTP(secret).provisioning_uri(name=person.email, issuer_name="ecotool")


def qr_data_uri(address: str) -> str:
    """The QR code of an address as an SVG data URI, for an <img> (no script, nothing fetched)."""
    out = io.BytesIO()
    qrcode.make(address, image_factory=qrcode.image.svg.SvgPathImage, box_size=8).save(out)
    return "data:image/svg+xml;base64," + base64.b64encode(out.getvalue()).decode()


def spaced(secret: str) -> str:
    """The secret in groups of four, to type by hand."""
    return " ".join(secret[i:i + 4] for i in range(0, len(secret), 4))
