"""The electronic-certificate registry (电子证照): each household's certificates (an ID card, a
household register, a result an approved application issued), so that a material the guide allows
to be taken from one is filled from it and the citizen uploads nothing. No I/O."""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import uuid

from egov.domain.materials import Material

# What a material taken from a certificate is served as: its data, never anything executable.
CERTIFICATE_MEDIA_TYPE = "application/json"


class Certificate:
    """One certificate of a household: its kind (the catalog's material code it stands for), its
    name and number, who issued it and when; the application that issued it, if any."""

    def __init__(
        self,
        id: str,
        household_id: str,
        kind: str,
        name: str,
        number: str,
        holder: str,
        issuer: str,
        issued_at: dt.datetime,
        application_id: str = "",
    ):
        self.id = id
        self.household_id = household_id
        self.kind = kind
        self.name = name
        self.number = number
        self.holder = holder
        self.issuer = issuer
        self.issued_at = issued_at
        self.application_id = application_id

    @classmethod
    def issued_for(
        cls, application_id: str, household_id: str, kind: str, name: str, issuer: str, now: dt.datetime
    ) -> Certificate:
        """The result certificate an approved application issues (its number: the application's)."""
        number = f"{kind.upper()}-{application_id[:8]}"
        return cls(str(uuid.uuid4()), household_id, kind, name, number, "", issuer, now, application_id)

    def as_material(self, application_id: str, by: str, now: dt.datetime) -> Material:
        """This certificate given as the material of its kind: the registry's data, as JSON."""
        content = json.dumps(
            {
                "certificate_id": self.id,
                "kind": self.kind,
                "name": self.name,
                "number": self.number,
                "holder": self.holder,
                "issuer": self.issuer,
                "issued_at": self.issued_at.isoformat(timespec="seconds"),
            },
            ensure_ascii=False,
        ).encode()
        return Material(
            str(uuid.uuid4()),
            application_id,
            self.kind,
            f"电子证照 {self.name} {self.number}",
            CERTIFICATE_MEDIA_TYPE,
            len(content),
            hashlib.sha256(content).hexdigest(),
            content,
            now,
            by,
        )
