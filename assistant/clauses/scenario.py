"""The Scenario: the facts the clauses read, each None when the question does not say."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from assistant.clauses.amounts import parse_amount

# Canonical provider keys and the names people use for them.
PROVIDER_ALIASES: dict[str, str] = {
    "microsoft": "microsoft",
    "microsoft azure": "microsoft",
    "azure": "microsoft",
    "msft": "microsoft",
    "oracle": "oracle",
    "oracle cloud": "oracle",
    "oci": "oracle",
    "stargate": "oracle",
    "aws": "aws",
    "amazon": "aws",
    "amazon web services": "aws",
    "google": "google",
    "google cloud": "google",
    "google cloud platform": "google",
    "gcp": "google",
    "coreweave": "coreweave",
    "core weave": "coreweave",
    "ibm": "ibm",
    "ibm cloud": "ibm",
    "alibaba": "alibaba",
    "alibaba cloud": "alibaba",
    "nvidia": "nvidia",
}

PROVIDER_NAMES: dict[str, str] = {
    "microsoft": "Microsoft Azure",
    "azure": "Microsoft Azure",
    "oracle": "Oracle",
    "aws": "AWS",
    "google": "Google Cloud",
    "coreweave": "CoreWeave",
    "ibm": "IBM Cloud",
    "alibaba": "Alibaba Cloud",
    "nvidia": "Nvidia",
    "elsewhere": "a platform other than Azure",
}


def normalise_provider(name: str) -> str:
    """Return the canonical key of a cloud provider name ("Amazon Web Services" -> "aws")."""
    key = " ".join(name.lower().replace("'s", "").replace("’s", "").split())
    return PROVIDER_ALIASES.get(key, key)


def provider_name(key: str) -> str:
    """Return the display name of a canonical provider key."""
    return PROVIDER_NAMES.get(key, key.title())


def invalid_fact(exc: ValidationError) -> tuple[str, str]:
    """The first fact a Scenario refused and why, in words ("profit_usd", "not an amount: 'lots'"), without
    pydantic's "Value error, " in front of the reason."""
    first = exc.errors()[0]
    field = str(first["loc"][0]) if first["loc"] else "scenario"
    return field, first["msg"].removeprefix("Value error, ")


class Scenario(BaseModel):
    """Facts of a what-if question about the Microsoft-OpenAI agreement; None means unknown."""

    model_config = ConfigDict(extra="forbid")

    year: int | None = Field(
        default=None, ge=1900, le=2999, description="Calendar year the question is set in, e.g. 2031."
    )
    microsoft_can_meet_demand: bool | None = Field(
        default=None, description="Whether Microsoft can meet OpenAI's new computing needs."
    )
    provider: str | None = Field(
        default=None,
        description="Cloud provider OpenAI would use for new compute: microsoft, oracle, aws, google, coreweave or another name.",
    )
    api_host: str | None = Field(
        default=None,
        description="Where OpenAI's API would be hosted or sold: azure, aws, google, oracle, or another name.",
    )
    agi_achieved: bool | None = Field(
        default=None, description="Whether OpenAI has achieved artificial general intelligence (AGI)."
    )
    profit_usd: Decimal | None = Field(
        default=None, description="Profit in US dollars that OpenAI's system generates, exactly (e.g. 150000000000)."
    )
    profit_above_usd: Decimal | None = Field(
        default=None, description="Use when only known to be over an amount: profit is more than this many dollars."
    )
    profit_below_usd: Decimal | None = Field(
        default=None, description="Use when only known to be under an amount: profit is less than this many dollars."
    )
    oracle_approved_by_microsoft: bool | None = Field(
        default=None, description="Whether Microsoft approved OpenAI's partnership with Oracle (Stargate)."
    )
    earlier_arrangement: bool | None = Field(
        default=None,
        description="True when the question is set under the earlier arrangement, before the January 2025 agreement "
        "('under the old deal').",
    )

    @field_validator("provider", "api_host", mode="before")
    @classmethod
    def _normalise_provider(cls, value: Any) -> Any:
        if isinstance(value, str):
            return normalise_provider(value) or None
        return value

    @field_validator("api_host")
    @classmethod
    def _api_host_is_azure(cls, value: str | None) -> str | None:
        # The API's home is named after the platform, Azure, not the company.
        return "azure" if value == "microsoft" else value

    @field_validator("profit_usd", "profit_above_usd", "profit_below_usd", mode="before")
    @classmethod
    def _exact_amount(cls, value: Any) -> Any:
        # Floats go through str so 1.5e11 is not read as a binary approximation.
        if isinstance(value, float):
            return Decimal(repr(value))
        if isinstance(value, str):
            return parse_amount(value)
        return value

    @field_validator("profit_usd", "profit_above_usd", "profit_below_usd")
    @classmethod
    def _drop_trailing_zeros(cls, value: Decimal | None) -> Decimal | None:
        # 150000000000.0 and 150000000000 are the same amount; print them the same way.
        if value is not None and value == value.to_integral_value():
            return value.quantize(Decimal(1))
        return value

    def known_facts(self) -> list[str]:
        """Return the names of the facts that are set, in field order."""
        return [name for name in type(self).model_fields if getattr(self, name) is not None]
