"""The shipped framework covers the contextual influences both studies name."""
from __future__ import annotations

import yaml

from ecotool.config import PROJECT_ROOT

DATA = yaml.safe_load((PROJECT_ROOT / "frameworks" / "social-ecological.yaml").read_text())
# The two studies the framework rests on, known by their DOIs.
STUDIES = {"doi:10.1186/s12939-021-01393-7", "doi:10.1186/1472-6963-8-46"}


def doi(source: str) -> str:
    return next(word for word in source.split() if word.startswith("doi:"))

# Each influence named in docs/product.md or the two studies, with the domain meant to hold it.
INFLUENCES = {
    "family attitudes to feeding": "micro.family-feeding-attitudes",
    "a partner who answers the phone": "micro.household-gatekeeping",
    "English as a second language": "micro.language-and-culture",
    "no transport": "micro.transport-and-distance",
    "nursery pick-up clashing with the group": "meso.groups-and-venues",
    "food insecurity": "micro.money-food-housing",
    "fear of asking for help in hospital": "meso.hospital-environment",
    "supervision on quality and wellbeing only": "meso.supervision-focus",
    "postcodes collected but not looked at": "meso.use-of-data",
    "new access pathways never evaluated": "meso.targeted-pathways",
    "KPI counts for commissioners": "macro.commissioning-and-kpis",
    "data-sharing rules withholding postcodes": "macro.data-sharing-rules",
    "funding levels": "macro.funding-levels",
    "same service for everyone": "macro.equal-treatment-culture",
    "women never reached": "micro.contactability",
    "failed contacts draining morale": "micro.supporter-morale",
    "mentors leaving for lack of time": "micro.supporter-time-and-retention",
    "the mentor's role misunderstood": "meso.role-clarity",
    "other people present at visits": "micro.others-present",
}


def test_every_named_influence_has_a_domain():
    codes = {d["code"] for d in DATA["domains"]}
    missing = {name: code for name, code in INFLUENCES.items() if code not in codes}
    assert missing == {}


def test_every_level_has_domains_and_each_domain_is_complete():
    by_level = {lvl: [d for d in DATA["domains"] if d["level"] == lvl] for lvl in ("macro", "meso", "micro")}
    assert all(len(domains) >= 5 for domains in by_level.values()), {k: len(v) for k, v in by_level.items()}
    for d in DATA["domains"]:
        assert d["recording_prompts"] and d["supervision_prompts"] and d["example_barriers"], d["code"]
        assert d["responses"], d["code"]
        assert {doi(e["source"]) for e in d["evidence"]} <= STUDIES, d["code"]


def test_both_studies_are_cited():
    cited = {doi(e["source"]) for d in DATA["domains"] for e in d["evidence"]}
    assert cited == STUDIES


def test_there_are_triggers_for_caseload_figures():
    assert len(DATA["triggers"]) >= 3
    assert {"unreached_share", "failed_attempt_share"} <= {t["indicator"] for t in DATA["triggers"]}
