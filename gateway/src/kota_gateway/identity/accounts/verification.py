"""A would-be citizen checked against the civil registry before an account exists.

Attempts are counted like sign-ins (`lockout`), under the NIK (``registration`` kind) and
the caller's address: five mismatches of one NIK from one address lock that address out of
it, and a NIK tried from many addresses is slowed for all. Every outcome the caller sees is
one of three: verified, `IdentityNotVerified` (whatever differs, or no such NIK), or
`RegistryUnavailable` (the registry down, slow or out of quota; no attempt counted, since
the citizen did nothing wrong).
"""

from kota_gateway.identity.accounts import lockout
from kota_gateway.identity.accounts.problems import IdentityNotVerified
from kota_gateway.identity.config import IdentityConfig
from kota_gateway.identity.registry import port
from kota_gateway.identity.registry.problems import RegistryUnavailable
from kota_shared.problems import Problem
from kota_shared.transaction import Transaction


async def verified_resident(
    tx: Transaction,
    *,
    config: IdentityConfig,
    registry: port.CivilRegistry,
    claim: port.PersonClaim,
    inquiry: port.Inquiry,
) -> port.RegisteredPerson | Problem:
    """The registry's record of the person ``claim`` describes, or the refusal.

    Verified by element first (the registry says match or not, never the data), and read
    only once it matched: the suite learns nothing of a resident its caller could not name.
    """
    digest = lockout.name_digest("registration", claim.nik)
    attempt = await lockout.begin(tx, digest=digest, source=inquiry.source)
    if isinstance(attempt, Problem):
        return attempt
    try:
        if not await registry.verify(claim, inquiry=inquiry):
            return await lockout.failed(tx, attempt, policy=config.lockout) or IdentityNotVerified()
        person = await registry.person(claim.nik, inquiry=inquiry)
    except port.NotInRegistry:  # matched a moment ago, gone now: a record being corrected
        return IdentityNotVerified()
    except port.RegistryError:
        return RegistryUnavailable()
    await lockout.succeeded(tx, attempt)
    return person
