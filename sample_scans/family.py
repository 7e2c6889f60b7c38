"""An applicant's family, the documents they enclose and what they write on the form.

Everything here is the ground truth of one envelope before any scenario spoils it: a
consistent family (principal applicant plus page-2 members), the required documents of
``intake-rules.md`` for each included person, optional supporting documents, and the form's
values in ``truth.json`` conventions.
"""

from __future__ import annotations

import datetime as dt
import random
from dataclasses import dataclass, field

from sample_scans import people
from sample_scans.people import Address, Identity

#: Enclosed-document boxes of form page 3 → the document types each one stands for.
ENCLOSED: dict[str, tuple[str, ...]] = {
    "enclosed_identity": ("identity_document",),
    "enclosed_birth": ("birth_certificate",),
    "enclosed_union": ("marriage_certificate", "union_proof"),
    "enclosed_residence": ("residence_proof",),
    "enclosed_dependency": ("medical_certificate", "financial_dependency_proof"),
    "enclosed_other": ("supporting_letter", "other"),
}

LEVELS = ("none", "basic", "intermediate", "advanced")
MEMBER_NAME_MAX = 16  # boxes of the page-2 name combs
DEPENDENT_MAX_AGE = 22


@dataclass
class Member:
    """A row of form page 2."""

    slot: str
    ident: Identity
    relationship: int
    residence: str = "quebec"
    included: bool = True
    has_spouse: bool = False

    def needs_proofs(self, received: dt.date) -> bool:
        """A child aged 22 or more is dependent only with medical and financial proofs."""
        return self.relationship in (2, 3, 4) and self.ident.age_on(received) >= DEPENDENT_MAX_AGE


@dataclass
class Family:
    """The principal applicant, their household and their contact details."""

    principal: Identity
    address: Address
    marital_status: str
    members: list[Member] = field(default_factory=list)
    telephone: str = ""
    email: str | None = None
    uci: str = ""
    french_level: str = "basic"
    english_level: str = "none"

    def member(self, slot: str) -> Member:
        return next(m for m in self.members if m.slot == slot)

    def free_slot(self) -> str | None:
        used = {m.slot for m in self.members}
        return next((f"member{i}" for i in range(1, 6) if f"member{i}" not in used), None)


@dataclass
class DocSpec:
    """One enclosed document: what it is, whom it counts for and what is printed on it.

    ``person`` is the truth: the person id the document belongs to, or None when it names
    nobody on the form. ``subject`` is what is printed, which a scenario may alter.
    """

    doc_type: str
    person: str | None
    subject: Identity
    lang: str
    other: Identity | None = None
    address: Address | None = None
    corrupt_mrz: bool = False
    mismatch: str | None = None
    defect: str | None = None


def make_family(rng: random.Random, *, received: dt.date, outside_quebec: bool = False) -> Family:
    """A consistent household: every included member is eligible and documented."""
    origin = rng.choice(people.APPLICANT_ORIGINS)
    sex = rng.choice("FM")
    born = people.birth_date(rng, on=received, min_age=20, max_age=62)
    principal = people.make_identity(rng, origin=origin, sex=sex, born=born)
    address = people.make_address(rng, outside_quebec=outside_quebec)
    fam = Family(principal=principal, address=address, marital_status="single",
                 telephone=people.telephone(rng, address), email=people.email(rng, principal),
                 uci=people.uci(rng), french_level=rng.choice(LEVELS[1:] + ("basic",)),
                 english_level=rng.choice(LEVELS))
    n = rng.choices((0, 1, 2, 3, 4), weights=(30, 25, 20, 15, 10))[0]
    if n and rng.random() < 0.6:
        add_spouse(fam, rng, received=received)
    while len(fam.members) < n:
        if principal.age_on(received) >= 42 and rng.random() < 0.12:
            add_child(fam, rng, received=received, min_age=22, max_age=26, relationship=2)
        else:
            add_child(fam, rng, received=received)
    _maybe_add_grandchild(fam, rng, received=received)
    if not any(m.relationship == 1 for m in fam.members):
        fam.marital_status = rng.choice(("single", "single", "divorced", "separated", "widowed"))
    return fam


def add_spouse(fam: Family, rng: random.Random, *, received: dt.date) -> Member:
    """Member 1 as spouse (married) or de facto spouse, usually in Québec and included."""
    p = fam.principal
    origin = "quebec" if rng.random() < 0.15 else p.origin
    age = max(18, min(70, p.age_on(received) + rng.randint(-8, 8)))
    born = people.birth_date(rng, on=received, min_age=age, max_age=age)
    ident = people.make_identity(rng, origin=origin, sex="M" if p.sex == "F" else "F", born=born,
                                 max_len=MEMBER_NAME_MAX)
    fam.marital_status = rng.choice(("married", "married", "de_facto"))
    abroad = rng.random() < 0.12
    m = Member(slot=fam.free_slot() or "member1", ident=ident, relationship=1,
               residence="abroad" if abroad else "quebec", included=not abroad,
               has_spouse=True)
    fam.members.append(m)
    return m


def add_child(
    fam: Family, rng: random.Random, *, received: dt.date, min_age: int = 0, max_age: int = 21,
    relationship: int | None = None,
) -> Member:
    """A child of the principal (2) or of the spouse (3), born when the parent was 18 to 45."""
    p = fam.principal
    spouse = next((m for m in fam.members if m.relationship == 1), None)
    rel = relationship or (3 if spouse and rng.random() < 0.15 else 2)
    parent_age = p.age_on(received) if rel == 2 or spouse is None else spouse.ident.age_on(received)
    # Born when the parent was between 18 and 45.
    hi = max(min_age, min(max_age, parent_age - 18))
    lo = min(hi, max(min_age, parent_age - 45))
    born = people.birth_date(rng, on=received, min_age=lo, max_age=hi)
    taken = {m.ident.given_names for m in fam.members} | {p.given_names}
    for _ in range(20):  # nobody in a household shares a given name (it would blur matching)
        ident = people.make_identity(rng, origin=p.origin, sex=rng.choice("FM"), born=born,
                                     family_name=_child_family_name(fam, rng, rel, spouse),
                                     max_len=MEMBER_NAME_MAX)
        if ident.given_names not in taken:
            break
    abroad = rng.random() < 0.1
    included = not abroad and (rng.random() < 0.9 or ident.age_on(received) < DEPENDENT_MAX_AGE)
    m = Member(slot=fam.free_slot() or "member5", ident=ident, relationship=rel,
               residence="abroad" if abroad else "quebec", included=included)
    fam.members.append(m)
    return m


def _maybe_add_grandchild(fam: Family, rng: random.Random, *, received: dt.date) -> None:
    """Rarely, relationship 4: the baby of an included adult child."""
    parents = [m for m in fam.members
               if m.relationship == 2 and m.included and m.ident.age_on(received) >= 19]
    if not parents or fam.free_slot() is None or rng.random() > 0.3:
        return
    parent = rng.choice(parents)
    born = people.birth_date(rng, on=received, min_age=0, max_age=2)
    ident = people.make_identity(rng, origin=parent.ident.origin, sex=rng.choice("FM"), born=born,
                                 family_name=parent.ident.family_name, max_len=MEMBER_NAME_MAX)
    fam.members.append(Member(slot=fam.free_slot() or "member5", ident=ident, relationship=4))


def _child_family_name(fam: Family, rng: random.Random, rel: int, spouse: Member | None) -> str:
    p = fam.principal.family_name
    if rel == 3 and spouse:
        return spouse.ident.family_name
    if spouse and rng.random() < 0.4:
        joined = f"{p}-{spouse.ident.family_name}"
        return joined if len(joined) <= MEMBER_NAME_MAX else spouse.ident.family_name
    return p


def required_documents(fam: Family, *, received: dt.date) -> list[DocSpec]:
    """Each required document of ``intake-rules.md``, once, for every person who needs it."""
    p = fam.principal
    docs = [DocSpec("identity_document", "principal", p, p.doc_lang),
            DocSpec("birth_certificate", "principal", p, p.doc_lang),
            DocSpec("residence_proof", "principal", p, "fr", address=fam.address)]
    for m in fam.members:
        if not m.included:
            continue
        docs += [DocSpec("identity_document", m.slot, m.ident, m.ident.doc_lang),
                 DocSpec("birth_certificate", m.slot, m.ident, m.ident.doc_lang)]
        if m.relationship == 1:
            kind = "union_proof" if fam.marital_status == "de_facto" else "marriage_certificate"
            docs.append(DocSpec(kind, m.slot, m.ident, "fr", other=p, address=fam.address))
        elif m.needs_proofs(received):
            docs += [DocSpec("medical_certificate", m.slot, m.ident, "fr"),
                     DocSpec("financial_dependency_proof", m.slot, m.ident, "fr", other=p)]
    return docs


def optional_documents(fam: Family, rng: random.Random) -> list[DocSpec]:
    """Supporting letters and other papers about the principal, never required."""
    p = fam.principal
    docs = []
    for _ in range(rng.choices((0, 1, 2), weights=(45, 40, 15))[0]):
        docs.append(DocSpec("supporting_letter", "principal", p, rng.choice(("fr", "fr", "en")),
                            address=fam.address))
    if rng.random() < 0.2:
        docs.append(DocSpec("other", "principal", p, "fr", address=fam.address))
    return docs


def form_values(
    fam: Family, docs: list[DocSpec], *, signed: dt.date, rng: random.Random,
) -> dict[str, str]:
    """What the applicant writes, in ``truth.json`` ``form`` conventions (strings only)."""
    p, a = fam.principal, fam.address
    v = {
        "family_name": people.upper(p.family_name), "given_names": people.upper(p.given_names),
        "date_of_birth": p.date_of_birth.isoformat(), "sex": p.sex,
        "country_of_birth": p.country, "citizenship": p.country, "uci": fam.uci,
        "marital_status": fam.marital_status, "street": people.upper(a.street),
        "municipality": people.upper(a.municipality), "postal_code": a.postal_code.replace(" ", ""),
        "telephone": fam.telephone, "french_level": fam.french_level,
        "english_level": fam.english_level, "signature": "true",
        "date_signed": signed.isoformat(), "place_signed": people.upper(a.municipality),
    }
    if a.apartment:
        v["apartment"] = a.apartment
    if fam.email:
        v["email"] = fam.email.upper()
    for m in fam.members:
        v.update(member_values(m))
    present = {d.doc_type for d in docs}
    for box, kinds in ENCLOSED.items():
        # Most applicants tick every box that applies; a few forget one (no flag for that).
        if present.intersection(kinds) and rng.random() < 0.92:
            v[box] = "yes"
    return v


def member_values(m: Member) -> dict[str, str]:
    """One row of form page 2."""
    s = m.slot
    return {
        f"{s}_family_name": people.upper(m.ident.family_name),
        f"{s}_given_names": people.upper(m.ident.given_names),
        f"{s}_relationship": str(m.relationship),
        f"{s}_date_of_birth": m.ident.date_of_birth.isoformat(),
        f"{s}_residence": m.residence,
        f"{s}_included": "yes" if m.included else "no",
        f"{s}_has_spouse": "yes" if m.has_spouse else "no",
    }


def preprinted_name(ident: Identity) -> str:
    """The ministry's pre-printed ``FAMILY NAME, Given names``."""
    return f"{people.upper(ident.family_name)}, {ident.given_names}"
