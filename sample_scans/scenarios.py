"""Scenarios: what goes wrong in an envelope, applied to an otherwise consistent packet plan.

A packet plan starts as a complete, consistent application (``family.py``); each scenario
named after the flag it is meant to raise then spoils it in one way. Scenarios run in phases
(family, documents, form, pages) so that each sees the state it needs. The labels are not
written here: ``truth.py`` derives every flag from the spoiled plan, consequences included.
"""

from __future__ import annotations

import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass, field

from sample_scans import family as fm
from sample_scans import people
from sample_scans.family import DocSpec, Family

#: Every scenario, named for the flag it raises ("complete" raises none).
SCENARIOS: tuple[str, ...] = (
    "unreadable_file", "duplicate_packet", "illegible_page", "incomplete_page", "blank_page",
    "form_missing", "form_page_missing", "form_unsigned", "form_undated", "field_missing",
    "field_unreadable", "missing_document", "unmatched_document", "identity_mismatch",
    "mrz_invalid", "dossier_mismatch", "member_abroad_included", "not_dependent_child",
    "address_outside_quebec", "date_signed_invalid", "enclosed_not_found",
)

#: Scenarios that need the whole form: they cannot ride along with a missing form or page.
NEEDS_FORM = frozenset({
    "form_unsigned", "form_undated", "field_missing", "field_unreadable", "date_signed_invalid",
    "address_outside_quebec", "enclosed_not_found", "dossier_mismatch", "member_abroad_included",
    "not_dependent_child",
})
#: Packet-wide scenarios that take the whole envelope.
SOLO = frozenset({"unreadable_file", "duplicate_packet"})
_EXCLUSIVE = ({"form_undated", "date_signed_invalid"},)

#: Required fields a careless applicant leaves empty. Names, dates of birth and the postal
#: code are left out: their absence would also break identity and address checks.
FIELD_MISSING_CANDIDATES = ("country_of_birth", "citizenship", "uci", "telephone", "sex",
                            "marital_status", "french_level", "english_level", "street",
                            "place_signed")
#: One-choice groups an applicant may tick twice.
DOUBLE_TICK = {"sex": ("F", "M", "X"), "french_level": fm.LEVELS, "english_level": fm.LEVELS,
               "marital_status": ("single", "married", "de_facto", "separated", "divorced",
                                  "widowed")}
#: Comb fields an applicant may scribble over after a mistake.
SCRIBBLE = ("telephone", "uci", "street", "place_signed", "country_of_birth")


@dataclass
class PacketPlan:
    """Everything needed to render one envelope and to label it."""

    packet_id: str
    index: int
    received: dt.date
    dossier: str
    family: Family
    scenarios: tuple[str, ...]
    docs: list[DocSpec] = field(default_factory=list)
    values: dict[str, str] = field(default_factory=dict)
    form_pages: list[int] = field(default_factory=lambda: [1, 2, 3])
    page_dossiers: list[str] | None = None
    scribbled: list[str] = field(default_factory=list)
    unreadable_fields: list[str] = field(default_factory=list)
    blanks: int = 0
    registry: tuple[str, str, dt.date, dt.date] | None = None
    invited: dt.date | None = None
    unreadable: str | None = None
    duplicate_of: str | None = None
    typed: bool = False
    notes: dict[str, str] = field(default_factory=dict)


def compatible(names: tuple[str, ...]) -> bool:
    """Whether these scenarios can share one packet without spoiling each other's labels."""
    s = set(names)
    if s & SOLO and len(s) > 1:
        return False
    if "form_missing" in s and s - {"form_missing", "blank_page", "illegible_page",
                                    "incomplete_page"}:
        return False
    if "form_page_missing" in s and s & NEEDS_FORM:
        return False
    return not any(pair <= s for pair in _EXCLUSIVE)


def plan_packet(
    rng: random.Random, *, packet_id: str, index: int, scenarios: tuple[str, ...],
    received: dt.date, dossier: str,
) -> PacketPlan:
    """Build a consistent packet, then apply each scenario phase by phase."""
    fam = fm.make_family(rng, received=received,
                         outside_quebec="address_outside_quebec" in scenarios)
    plan = PacketPlan(packet_id=packet_id, index=index, received=received, dossier=dossier,
                      family=fam, scenarios=scenarios, typed=rng.random() < 0.15)
    for phase in _PHASES:
        if phase == "documents":
            plan.docs = fm.required_documents(fam, received=received)
            plan.docs += fm.optional_documents(fam, rng)
        if phase == "form":
            signed = received - dt.timedelta(days=rng.randint(3, 45))
            plan.values = fm.form_values(fam, plan.docs, signed=signed, rng=rng)
            plan.invited = signed - dt.timedelta(days=rng.randint(5, 40))
        for name in scenarios:
            step = _STEPS.get((name, phase))
            if step:
                step(plan, rng)
    _set_registry(plan)
    return plan


def _set_registry(plan: PacketPlan) -> None:
    p = plan.family.principal
    if plan.registry is None and plan.notes.get("registry") != "absent":
        plan.registry = (people.upper(p.family_name), p.given_names, p.date_of_birth,
                         plan.invited or plan.received)


# --- family phase -----------------------------------------------------------------------

def _form_missing(plan: PacketPlan, rng: random.Random) -> None:
    # Without page 2 nobody else is declared, so the envelope holds the principal's papers.
    plan.family.members.clear()


def _member_abroad(plan: PacketPlan, rng: random.Random) -> None:
    fam = plan.family
    pool = [m for m in fam.members if m.slot != plan.notes.get("not_dependent")]
    m = rng.choice(pool) if pool and rng.random() < 0.6 else None
    if m is None:
        if fam.free_slot() is None:
            m = pool[0]
        elif not any(x.relationship == 1 for x in fam.members) and rng.random() < 0.5:
            m = fm.add_spouse(fam, rng, received=plan.received)
        else:
            m = fm.add_child(fam, rng, received=plan.received)
    m.residence, m.included = "abroad", True
    plan.notes["abroad"] = m.slot


def _not_dependent(plan: PacketPlan, rng: random.Random) -> None:
    fam, received = plan.family, plan.received
    older = fam.principal.age_on(received) >= 40 and rng.random() < 0.35
    if fam.free_slot() is None:
        fam.members.pop()
    if older:
        m = fm.add_child(fam, rng, received=received, min_age=22, max_age=25, relationship=2)
        plan.notes["not_dependent_proofs"] = rng.choice(("none", "medical", "financial"))
    else:
        m = fm.add_child(fam, rng, received=received, min_age=16, max_age=21, relationship=2)
        m.has_spouse = True
    m.residence, m.included = "quebec", True
    plan.notes["not_dependent"] = m.slot


# --- documents phase --------------------------------------------------------------------

def _drop_proofs(plan: PacketPlan, rng: random.Random) -> None:
    slot, keep = plan.notes.get("not_dependent"), plan.notes.get("not_dependent_proofs")
    if keep is None:
        return
    kept = {"medical": "medical_certificate", "financial": "financial_dependency_proof"}.get(keep)
    plan.docs = [d for d in plan.docs if not (
        d.person == slot and d.doc_type in ("medical_certificate", "financial_dependency_proof")
        and d.doc_type != kept)]


def _missing_document(plan: PacketPlan, rng: random.Random) -> None:
    reserved = {plan.notes.get("abroad"), plan.notes.get("not_dependent")}
    spared = {"supporting_letter", "other"}
    if "mrz_invalid" in plan.scenarios or "identity_mismatch" in plan.scenarios:
        spared |= {"identity_document", "birth_certificate"}  # their targets must stay
    pool = [d for d in plan.docs if d.doc_type not in spared and d.person not in reserved]
    victim = rng.choice(pool)
    plan.docs.remove(victim)
    plan.notes["missing"] = f"{victim.person}:{victim.doc_type}"


def _unmatched(plan: PacketPlan, rng: random.Random) -> None:
    p = plan.family.principal
    origin = rng.choice(people.APPLICANT_ORIGINS)
    born = people.birth_date(rng, on=plan.received, min_age=5, max_age=60)
    same_family = rng.random() < 0.3  # a brother or cousin never listed on page 2
    stranger = people.make_identity(rng, origin=p.origin if same_family else origin,
                                    sex=rng.choice("FM"), born=born,
                                    family_name=p.family_name if same_family else None)
    kind = rng.choice(("identity_document", "birth_certificate"))
    plan.docs.insert(rng.randrange(len(plan.docs) + 1),
                     DocSpec(kind, None, stranger, stranger.doc_lang))


def _identity_mismatch(plan: PacketPlan, rng: random.Random) -> None:
    pool = [d for d in plan.docs if d.person and d.doc_type in (
        "identity_document", "birth_certificate") and d.mismatch is None]
    doc = rng.choice(pool)
    if rng.random() < 0.5:
        doc.subject, doc.mismatch = people.misspelled(doc.subject, rng), "name"
    else:
        doc.subject, doc.mismatch = people.shifted_birth(doc.subject, rng), "date_of_birth"


def _mrz_invalid(plan: PacketPlan, rng: random.Random) -> None:
    pool = [d for d in plan.docs if d.doc_type == "identity_document" and d.person]
    clean = [d for d in pool if d.mismatch is None]
    rng.choice(clean or pool).corrupt_mrz = True


def _optional_target(plan: PacketPlan, rng: random.Random) -> DocSpec:
    """A supporting document nobody needs and no other scenario touched, added if none."""
    pool = [d for d in plan.docs if d.doc_type in ("supporting_letter", "other") and not d.defect]
    if pool:
        return rng.choice(pool)
    p = plan.family.principal
    doc = DocSpec(rng.choice(("supporting_letter", "other")), "principal", p, "fr",
                  address=plan.family.address)
    plan.docs.append(doc)
    return doc


def _illegible(plan: PacketPlan, rng: random.Random) -> None:
    _optional_target(plan, rng).defect = "illegible"


def _incomplete(plan: PacketPlan, rng: random.Random) -> None:
    # Required papers only lose an edge (their names stay readable, so they still count);
    # identity documents are spared because their MRZ sits at the bottom.
    kinds = ("birth_certificate",) + (
        () if "enclosed_not_found" in plan.scenarios else ("residence_proof",))
    pool = [d for d in plan.docs if d.doc_type in kinds
            and not d.defect and not d.mismatch and d.person]
    if pool and rng.random() < 0.5:
        rng.choice(pool).defect = "cut_edge"
    else:
        _optional_target(plan, rng).defect = rng.choice(("cut_half", "cut_edge"))


# --- form phase -------------------------------------------------------------------------

def _enclosed_not_found(plan: PacketPlan, rng: random.Random) -> None:
    present = {d.doc_type for d in plan.docs}
    no_union = not present & {"marriage_certificate", "union_proof"}
    if no_union and rng.random() < 0.6:
        plan.values["enclosed_union"] = "yes"  # ticked by mistake: no spouse at all
    else:
        # ``_incomplete`` spares residence proofs when this scenario runs, so none is lost.
        plan.docs = [d for d in plan.docs if d.doc_type != "residence_proof"]
        plan.values["enclosed_residence"] = "yes"  # ticked, then the lease stayed on the table


def _unsigned(plan: PacketPlan, rng: random.Random) -> None:
    plan.values["signature"] = "false"


def _undated(plan: PacketPlan, rng: random.Random) -> None:
    plan.values.pop("date_signed", None)


def _field_missing(plan: PacketPlan, rng: random.Random) -> None:
    pool = [f for f in FIELD_MISSING_CANDIDATES if f in plan.values]
    name = rng.choice(pool)
    del plan.values[name]
    plan.notes["field_missing"] = name


def _field_unreadable(plan: PacketPlan, rng: random.Random) -> None:
    taken = plan.notes.get("field_missing")
    if rng.random() < 0.5:
        name = rng.choice([f for f in DOUBLE_TICK if f != taken and f in plan.values])
        options = DOUBLE_TICK[name]
        extra = rng.choice([o for o in options if o != plan.values[name]])
        plan.values[name] = ",".join(o for o in options if o in (extra, plan.values[name]))
    else:
        name = rng.choice([f for f in SCRIBBLE if f != taken and f in plan.values])
        plan.scribbled.append(name)
    plan.unreadable_fields.append(name)


def _date_signed_invalid(plan: PacketPlan, rng: random.Random) -> None:
    if rng.random() < 0.5:
        day = plan.received + dt.timedelta(days=rng.randint(3, 30))
    else:  # the birth year written where the signing year belongs
        b = plan.family.principal.date_of_birth
        day = b + dt.timedelta(days=rng.randint(30, 17 * 365))
    plan.values["date_signed"] = day.isoformat()


# --- pages phase ------------------------------------------------------------------------

def _form_page_missing(plan: PacketPlan, rng: random.Random) -> None:
    # Page 2 only goes missing when it is empty: with members on it, every member's
    # document would also name nobody on the form.
    choices = [1, 3, 3] + ([2] if not plan.family.members else [])
    plan.form_pages.remove(rng.choice(choices))


def _drop_form(plan: PacketPlan, rng: random.Random) -> None:
    plan.form_pages = []


def _blank(plan: PacketPlan, rng: random.Random) -> None:
    plan.blanks = rng.choice((1, 1, 2))


def _dossier_mismatch(plan: PacketPlan, rng: random.Random) -> None:
    variant = rng.choice(("page", "absent", "name"))
    plan.notes["dossier"] = variant
    if variant == "page":
        other = people.dossier_number(rng, year=plan.received.year)
        numbers = [plan.dossier] * 3
        numbers[rng.choice(plan.form_pages) - 1] = other
        plan.page_dossiers = numbers
    elif variant == "absent":
        plan.notes["registry"] = "absent"
    else:
        someone = fm.make_family(rng, received=plan.received).principal
        plan.registry = (people.upper(someone.family_name), someone.given_names,
                         someone.date_of_birth, plan.invited or plan.received)


_PHASES = ("family", "documents", "late_documents", "form", "pages")
_Step = Callable[[PacketPlan, random.Random], None]
_STEPS: dict[tuple[str, str], _Step] = {
    ("form_missing", "family"): _form_missing,
    ("not_dependent_child", "family"): _not_dependent,
    ("member_abroad_included", "family"): _member_abroad,
    ("not_dependent_child", "documents"): _drop_proofs,
    ("missing_document", "documents"): _missing_document,
    ("identity_mismatch", "documents"): _identity_mismatch,
    ("unmatched_document", "late_documents"): _unmatched,
    ("mrz_invalid", "late_documents"): _mrz_invalid,
    ("illegible_page", "late_documents"): _illegible,
    ("incomplete_page", "late_documents"): _incomplete,
    ("enclosed_not_found", "form"): _enclosed_not_found,
    ("form_unsigned", "form"): _unsigned,
    ("form_undated", "form"): _undated,
    ("field_missing", "form"): _field_missing,
    ("field_unreadable", "form"): _field_unreadable,
    ("date_signed_invalid", "form"): _date_signed_invalid,
    ("form_page_missing", "pages"): _form_page_missing,
    ("form_missing", "pages"): _drop_form,
    ("blank_page", "pages"): _blank,
    ("dossier_mismatch", "pages"): _dossier_mismatch,
}
