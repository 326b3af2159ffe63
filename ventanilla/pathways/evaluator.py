"""Which regular pathways a person may use: a pure, explainable evaluation. No Django.

Input: rules (dicts from `rules.load_rules`), a profile (a dict of facts, any of which may be
missing or malformed: what cannot be read counts as missing), a host country and a date. The
date is always given, never "today". Output: one result per pathway of the host country.

Conditions are three-valued: True, False or None (unknown, because a fact is missing).
"""

import datetime
from collections.abc import Callable, Mapping

from ventanilla.core.dates import as_date

Tri = bool | None
# (ISO 3166 code, language) -> the country's name; callers with a country list pass theirs.
CountryName = Callable[[str, str], str]

STALE_AFTER_DAYS = 180
LANGUAGES = ("es", "en", "pt")

# Generated texts, used when a condition has no `text` of its own. Data, not gettext: this
# module runs outside Django and the rule files already carry their own three languages.
# Written for a person reading on a phone: words, not codes or field names. "fact:*" names a
# fact of the profile, "is:*" states a yes/no fact, "document:*" and "mode:*" name values.
TEXTS = {
    "en": {
        "nationality_in": "You are a national of {want} ({have})",
        "nationality_only_in": "You are a national of {want} and of no other country ({have})",
        "age_between": "You are between {min} and {max} years old on {on} ({have})",
        "age_at_least": "You are {min} years old or older on {on} ({have})",
        "age_at_most": "You are {max} years old or younger on {on} ({have})",
        "years_old": "{age} years old",
        "date_before": "{fact} is before {date} ({have})",
        "open_until": "Applications on this ground are accepted until {date} (today is {on})",
        "date_between": "{fact} is between {from} and {to} ({have})",
        "entry_mode_in": "You entered the country {want} ({have})",
        "has_document": "You have or have had {types} ({have})",
        "has_document_valid_on": "You had {types} valid on {date} ({have})",
        "child_has_document": "A child in your care has or has had {types} ({have})",
        "child_has_document_valid_on": "A child in your care had {types} valid on {date} ({have})",
        "has_document_valid_now": "You have {types} valid on {on} ({have})",
        "child_has_document_valid_now": "A child in your care has {types} valid on {on} ({have})",
        "needs_review": "A legal adviser must check this: {what}",
        "fact_is": "{statement} ({have})",
        "fact_value": "{fact}: {value}",
        "any_of": "At least one of the following",
        "all_of": "All of the following",
        "not": "None of the following",
        "answer": "your answer: {value}",
        "missing": "you have not answered this yet",
        "none": "none",
        "yes": "yes",
        "no": "no",
        "or": " or ",
        "fact:birth_date": "your date of birth",
        "fact:entry_date": "the date you entered the country",
        "fact:in_country_since": "the date since when you live in the country",
        "fact:city_arrival_date": "the date you arrived in the city",
        "fact:criminal_record": "criminal record",
        "fact:asylum_claim": "asylum claim",
        "fact:has_job_offer": "job offer",
        "is:criminal_record:yes": "You have a criminal record",
        "is:criminal_record:no": "You have no criminal record",
        "is:asylum_claim:yes": "You have asked for asylum in this country",
        "is:asylum_claim:no": "You have not asked for asylum in this country",
        "is:has_job_offer:yes": "You have a job offer in this country",
        "is:has_job_offer:no": "You have no job offer in this country",
        "mode:regular": "through an official border crossing",
        "mode:irregular": "without going through migration control",
        "document:passport": "a passport",
        "document:visa": "a visa",
        "document:residence_permit": "a residence permit",
        "document:pip": "a PIP",
        "document:ptp": "a PTP",
        "document:pep": "a PEP",
        "document:ppt": "a PPT",
        "document:safe_conduct": "an SC-2 safe-conduct",
        "closed": "Closed since {date}: this pathway existed and no longer accepts applications.",
        "not_yet": "Not yet in force: it takes effect on {date}.",
        "no_open_window": "You cannot apply on {on}; the next application period opens on {date}.",
        "failed": "You do not meet this: {text}",
        "unverified": "We could not confirm this yet, check it with the authority: {text}",
        "stale": "We last checked these rules on {date}; they may have changed since.",
        "notice": "Orientation only, not a legal decision. Confirm with the competent authority.",
    },
    "es": {
        "nationality_in": "Tiene la nacionalidad de {want} ({have})",
        "nationality_only_in": "Tiene la nacionalidad de {want} y ninguna otra ({have})",
        "age_between": "Tiene entre {min} y {max} años el {on} ({have})",
        "age_at_least": "Tiene {min} años o más el {on} ({have})",
        "age_at_most": "Tiene {max} años o menos el {on} ({have})",
        "years_old": "{age} años",
        "date_before": "{fact} es anterior al {date} ({have})",
        "open_until": "Las solicitudes por esta causa se reciben hasta el {date} (hoy es {on})",
        "date_between": "{fact} está entre el {from} y el {to} ({have})",
        "entry_mode_in": "Entró al país {want} ({have})",
        "has_document": "Tiene o tuvo {types} ({have})",
        "has_document_valid_on": "Tenía {types} vigente el {date} ({have})",
        "child_has_document": "Un hijo o hija a su cargo tiene o tuvo {types} ({have})",
        "child_has_document_valid_on": "Un hijo o hija a su cargo tenía {types} vigente "
        "el {date} ({have})",
        "has_document_valid_now": "Tiene {types} vigente el {on} ({have})",
        "child_has_document_valid_now": "Un hijo o hija a su cargo tiene {types} vigente "
        "el {on} ({have})",
        "needs_review": "Un asesor o asesora legal debe revisar esto: {what}",
        "fact_is": "{statement} ({have})",
        "fact_value": "{fact}: {value}",
        "any_of": "Al menos una de las siguientes",
        "all_of": "Todas las siguientes",
        "not": "Ninguna de las siguientes",
        "answer": "su respuesta: {value}",
        "missing": "todavía no respondió esto",
        "none": "ninguno",
        "yes": "sí",
        "no": "no",
        "or": " o ",
        "fact:birth_date": "su fecha de nacimiento",
        "fact:entry_date": "la fecha en que entró al país",
        "fact:in_country_since": "la fecha desde la que vive en el país",
        "fact:city_arrival_date": "la fecha en que llegó a la ciudad",
        "fact:criminal_record": "antecedentes penales",
        "fact:asylum_claim": "solicitud de asilo",
        "fact:has_job_offer": "oferta de trabajo",
        "is:criminal_record:yes": "Tiene antecedentes penales",
        "is:criminal_record:no": "No tiene antecedentes penales",
        "is:asylum_claim:yes": "Pidió asilo (refugio) en este país",
        "is:asylum_claim:no": "No pidió asilo (refugio) en este país",
        "is:has_job_offer:yes": "Tiene una oferta de trabajo en este país",
        "is:has_job_offer:no": "No tiene una oferta de trabajo en este país",
        "mode:regular": "por un paso fronterizo oficial",
        "mode:irregular": "sin pasar por el control migratorio",
        "document:passport": "un pasaporte",
        "document:visa": "una visa",
        "document:residence_permit": "un permiso de residencia",
        "document:pip": "un PIP",
        "document:ptp": "un PTP",
        "document:pep": "un PEP",
        "document:ppt": "un PPT",
        "document:safe_conduct": "un salvoconducto SC-2",
        "closed": "Cerrada desde el {date}: esta vía existió y ya no recibe solicitudes.",
        "not_yet": "Todavía no está vigente: entra en vigor el {date}.",
        "no_open_window": "No se puede solicitar el {on}; el próximo plazo abre el {date}.",
        "failed": "No cumple esto: {text}",
        "unverified": "Todavía no pudimos confirmarlo, verifíquelo con la autoridad: {text}",
        "stale": "Revisamos estas reglas por última vez el {date}; pueden haber cambiado.",
        "notice": "Solo orientación, no es una decisión legal. "
        "Confirme con la autoridad competente.",
    },
    "pt": {
        "nationality_in": "Você tem a nacionalidade de {want} ({have})",
        "nationality_only_in": "Você tem a nacionalidade de {want} e nenhuma outra ({have})",
        "age_between": "Você tem entre {min} e {max} anos em {on} ({have})",
        "age_at_least": "Você tem {min} anos ou mais em {on} ({have})",
        "age_at_most": "Você tem {max} anos ou menos em {on} ({have})",
        "years_old": "{age} anos",
        "date_before": "{fact} é anterior a {date} ({have})",
        "open_until": "Os pedidos por este motivo são recebidos até {date} (hoje é {on})",
        "date_between": "{fact} está entre {from} e {to} ({have})",
        "entry_mode_in": "Você entrou no país {want} ({have})",
        "has_document": "Você tem ou teve {types} ({have})",
        "has_document_valid_on": "Você tinha {types} válido em {date} ({have})",
        "child_has_document": "Um filho ou filha sob seus cuidados tem ou teve {types} ({have})",
        "child_has_document_valid_on": "Um filho ou filha sob seus cuidados tinha {types} "
        "válido em {date} ({have})",
        "has_document_valid_now": "Você tem {types} válido em {on} ({have})",
        "child_has_document_valid_now": "Um filho ou filha sob seus cuidados tem {types} "
        "válido em {on} ({have})",
        "needs_review": "Um assessor jurídico precisa verificar isto: {what}",
        "fact_is": "{statement} ({have})",
        "fact_value": "{fact}: {value}",
        "any_of": "Pelo menos uma das seguintes",
        "all_of": "Todas as seguintes",
        "not": "Nenhuma das seguintes",
        "answer": "sua resposta: {value}",
        "missing": "você ainda não respondeu isto",
        "none": "nenhum",
        "yes": "sim",
        "no": "não",
        "or": " ou ",
        "fact:birth_date": "a sua data de nascimento",
        "fact:entry_date": "a data em que você entrou no país",
        "fact:in_country_since": "a data desde a qual você mora no país",
        "fact:city_arrival_date": "a data em que você chegou à cidade",
        "fact:criminal_record": "antecedentes criminais",
        "fact:asylum_claim": "pedido de refúgio",
        "fact:has_job_offer": "oferta de emprego",
        "is:criminal_record:yes": "Você tem antecedentes criminais",
        "is:criminal_record:no": "Você não tem antecedentes criminais",
        "is:asylum_claim:yes": "Você pediu refúgio neste país",
        "is:asylum_claim:no": "Você não pediu refúgio neste país",
        "is:has_job_offer:yes": "Você tem uma oferta de emprego neste país",
        "is:has_job_offer:no": "Você não tem oferta de emprego neste país",
        "mode:regular": "por um posto de fronteira oficial",
        "mode:irregular": "sem passar pelo controle migratório",
        "document:passport": "um passaporte",
        "document:visa": "um visto",
        "document:residence_permit": "uma autorização de residência",
        "document:pip": "um PIP",
        "document:ptp": "um PTP",
        "document:pep": "um PEP",
        "document:ppt": "um PPT",
        "document:safe_conduct": "um salvo-conduto SC-2",
        "closed": "Encerrada desde {date}: esta via existiu e não recebe mais pedidos.",
        "not_yet": "Ainda não está em vigor: entra em vigor em {date}.",
        "no_open_window": "Não é possível pedir em {on}; o próximo prazo abre em {date}.",
        "failed": "Você não cumpre isto: {text}",
        "unverified": "Ainda não conseguimos confirmar isto, verifique com a autoridade: {text}",
        "stale": "Revisamos estas regras pela última vez em {date}; podem ter mudado.",
        "notice": "Apenas orientação, não é uma decisão legal. "
        "Confirme com a autoridade competente.",
    },
}
MARKS = {True: "✓", False: "✗", None: "?"}
RESULT_NAMES = {True: "true", False: "false", None: "unknown"}


def evaluate(
    rules: list[Mapping],
    profile,
    *,
    country: str,
    on: datetime.date,
    lang: str = "es",
    stale_after_days: int = STALE_AFTER_DAYS,
    country_name: CountryName | None = None,
) -> list[dict]:
    """One result per pathway of `country`, in rule id order.

    `country_name` names countries in generated texts; without it they show as codes.
    """
    country = str(country).upper()
    return [
        evaluate_rule(
            rule,
            profile,
            on=on,
            lang=lang,
            stale_after_days=stale_after_days,
            country_name=country_name,
        )
        for rule in sorted(rules, key=lambda r: r["id"])
        if rule["country"] == country
    ]


def evaluate_rule(
    rule: Mapping,
    profile,
    *,
    on: datetime.date,
    lang: str = "es",
    stale_after_days: int = STALE_AFTER_DAYS,
    country_name: CountryName | None = None,
) -> dict:
    lang = lang if lang in LANGUAGES else "es"
    texts = TEXTS[lang]
    say = _Say(lang, country_name)
    facts = _Facts(profile if isinstance(profile, Mapping) else {})
    nodes = [_evaluate(condition, facts, on, say) for condition in rule["conditions"]]
    value = _all([node["result"] for node in nodes])
    reasons = []
    for node in nodes:
        reasons.extend(_reason_lines(node, 0))

    status, missing, closed_since = _status(value, nodes)
    effective = rule["effective"]
    windows = rule.get("application_windows") or []
    closing = closing_date(rule)
    if closing is not None and closing <= on:
        status, missing, closed_since = "closed", [], closing
        reasons.insert(0, texts["closed"].format(date=say.date(closing)))
    elif on < effective["from"]:
        status, missing = "not_eligible", []
        reasons.insert(0, texts["not_yet"].format(date=say.date(effective["from"])))
    elif windows and not any(w["from"] <= on <= w["to"] for w in windows):
        upcoming = min(w["from"] for w in windows if w["from"] > on)
        reasons.insert(0, texts["no_open_window"].format(on=say.date(on), date=say.date(upcoming)))
    if status == "not_eligible" and on >= effective["from"]:
        reasons.extend(
            texts["failed"].format(text=node["text"]) for node in nodes if node["result"] is False
        )

    return {
        "pathway": rule["id"],
        "name": rule["names"][lang],
        "status": status,
        "missing": missing,
        "reasons": reasons,
        "closed_since": closed_since.isoformat() if closed_since else None,
        "deadlines": _deadlines(rule, facts, on, lang),
        "source": _source(rule, nodes, on, say, stale_after_days),
        "conditions": nodes,
    }


def closing_date(rule) -> datetime.date | None:
    """The first day the pathway is closed, whichever of its three ways comes first."""
    candidates = []
    if rule.get("closed"):
        candidates.append(rule["closed"]["since"])
    if rule["effective"].get("to"):
        candidates.append(rule["effective"]["to"] + datetime.timedelta(days=1))
    windows = rule.get("application_windows") or []
    if windows:
        candidates.append(max(w["to"] for w in windows) + datetime.timedelta(days=1))
    return min(candidates) if candidates else None


def _status(value: Tri, nodes) -> tuple[str, list[str], None]:
    if value is True:
        return "eligible", [], None
    if value is None:
        return "may_be_eligible", _dedupe(m for node in nodes for m in node["missing"]), None
    return "not_eligible", [], None


# --- conditions -------------------------------------------------------------------------


def _evaluate(condition: Mapping, facts: "_Facts", on: datetime.date, say: "_Say") -> dict:
    kind = next(key for key in condition if key not in ("text", "unverified"))
    arg = condition[kind]
    children = []
    if kind in ("any_of", "all_of"):
        children = [_evaluate(child, facts, on, say) for child in arg]
        results = [child["result"] for child in children]
        value = _any(results) if kind == "any_of" else _all(results)
        missing = _dedupe(m for child in children for m in child["missing"])
        params = {}
    elif kind == "not":
        children = [_evaluate(arg, facts, on, say)]
        value = _not(children[0]["result"])
        missing = children[0]["missing"]
        params = {}
    else:
        value, missing, params = _LEAVES[kind](arg, facts, on, say)
    if "text" in condition:
        text = condition["text"][say.lang]
    else:
        # A leaf may pick a variant of its text ("age_at_least" for an age without maximum).
        text = _capitalize(TEXTS[say.lang][params.pop("text", kind)].format(**params))
    node = {
        "condition": kind,
        "result": value,
        "text": text,
        "missing": missing if value is None else [],
        "unverified": bool(condition.get("unverified", False)),
    }
    if children:
        node["children"] = children
    return node


def _all(values: list[Tri]) -> Tri:
    if any(v is False for v in values):
        return False
    return None if any(v is None for v in values) else True


def _any(values: list[Tri]) -> Tri:
    if any(v is True for v in values):
        return True
    return None if any(v is None for v in values) else False


def _not(value: Tri) -> Tri:
    return None if value is None else not value


def _nationality_in(arg, facts, on, say):
    have = facts.nationalities()
    params = {
        "want": say.either([say.country(code) for code in arg]),
        "have": say.answer(", ".join(say.country(code) for code in have) if have else None),
    }
    if not have:
        return None, ["nationalities"], params
    return any(code in arg for code in have), [], params


def _nationality_only_in(arg, facts, on, say):
    """Every nationality the person holds is in the list (a dual national of another fails)."""
    value, missing, params = _nationality_in(arg, facts, on, say)
    if value is None:
        return value, missing, params
    return all(code in arg for code in facts.nationalities()), [], params


def _age_between(arg, facts, on, say):
    birth = facts.date("birth_date")
    age = _age(birth, on) if birth else None
    if "max" not in arg:
        text = "age_at_least"
    elif "min" not in arg:
        text = "age_at_most"
    else:
        text = "age_between"
    params = {
        "text": text,
        "min": arg.get("min", 0),
        "max": arg.get("max"),
        "on": say.date(on),
        "have": say.answer(say.word("years_old").format(age=age) if age is not None else None),
    }
    if age is None:
        return None, ["birth_date"], params
    return arg.get("min", 0) <= age <= arg.get("max", age), [], params


def _date_before(arg, facts, on, say):
    have = facts.date(arg["fact"])
    params = {
        "fact": say.fact(arg["fact"]),
        "date": say.date(arg["date"]),
        "have": say.answer(say.date(have)),
    }
    if have is None:
        return None, [arg["fact"]], params
    return have < arg["date"], [], params


def _open_until(arg, facts, on, say):
    """A ground of a pathway that closed before the whole pathway did (e.g. one group)."""
    return on <= arg, [], {"date": say.date(arg), "on": say.date(on)}


def _date_between(arg, facts, on, say):
    have = facts.date(arg["fact"])
    params = {
        "fact": say.fact(arg["fact"]),
        "from": say.date(arg["from"]),
        "to": say.date(arg["to"]),
        "have": say.answer(say.date(have)),
    }
    if have is None:
        return None, [arg["fact"]], params
    return arg["from"] <= have <= arg["to"], [], params


def _entry_mode_in(arg, facts, on, say):
    have = facts.raw.get("entry_mode")
    want = say.either([say.named("mode", mode) for mode in arg])
    if have not in ("regular", "irregular"):
        return None, ["entry_mode"], {"want": want, "have": say.answer(None)}
    return have in arg, [], {"want": want, "have": say.answer(say.named("mode", have))}


def _fact_is(arg, facts, on, say):
    have = facts.raw.get(arg["fact"])
    value = "yes" if arg["value"] else "no"
    statement = TEXTS[say.lang].get(f"is:{arg['fact']}:{value}") or say.word("fact_value").format(
        fact=say.fact(arg["fact"]), value=say.word(value)
    )
    params = {
        "statement": statement,
        "have": say.answer(say.word("yes" if have else "no") if isinstance(have, bool) else None),
    }
    if not isinstance(have, bool):
        return None, [arg["fact"]], params
    return have is arg["value"], [], params


def _documents_match(documents, arg, missing_name, on) -> tuple[Tri, list[str]]:
    """Whether one of `documents` has a wanted type and, if asked, is valid on the date.

    `valid_on` (a date of the rule) needs the issue date; `valid_now` (the evaluation date)
    takes an undated document as valid: people rarely know the dates of what they hold now.
    """
    valid_on = arg.get("valid_on")
    results, missing = [], []
    for document in documents:
        if not isinstance(document, Mapping) or document.get("type") not in arg["types"]:
            continue
        issued, expires = as_date(document.get("issued")), as_date(document.get("expires"))
        if arg.get("valid_now"):
            expired = expires is not None and on > expires
            not_yet_issued = issued is not None and issued > on
            results.append(not expired and not not_yet_issued)
            continue
        if valid_on is None:
            return True, []
        if expires is not None and valid_on > expires:
            results.append(False)
        elif issued is None:
            results.append(None)
            missing.append(f"{missing_name}.issued")
        else:
            results.append(issued <= valid_on)
    value = _any(results) if results else False
    return value, (missing if value is None else [])


def _describe_documents(kind, arg, on, say) -> dict:
    valid_on = arg.get("valid_on")
    params = {"types": say.either([say.named("document", t) for t in arg["types"]])}
    if valid_on:
        params.update(text=f"{kind}_valid_on", date=say.date(valid_on))
    elif arg.get("valid_now"):
        params.update(text=f"{kind}_valid_now", on=say.date(on))
    return params


def _held(documents, say) -> str:
    """The types of `documents`, named, for "your answer: …"."""
    # str() first: a malformed profile may hold any value, even an unhashable one.
    types = _dedupe(str(d.get("type")) for d in documents if isinstance(d, Mapping))
    return ", ".join(say.named("document", t) for t in types) or say.word("none")


def _has_document(arg, facts, on, say):
    documents = facts.list_of("documents")
    params = _describe_documents("has_document", arg, on, say)
    if documents is None:
        return None, ["documents"], {**params, "have": say.answer(None)}
    params["have"] = say.answer(_held(documents, say))
    value, missing = _documents_match(documents, arg, "documents", on)
    return value, missing, params


def _child_has_document(arg, facts, on, say):
    children = facts.list_of("children")
    params = _describe_documents("child_has_document", arg, on, say)
    if children is None:
        return None, ["children"], {**params, "have": say.answer(None)}
    results, missing, held = [], [], []
    for child in children:
        documents = child.get("documents") if isinstance(child, Mapping) else None
        if not isinstance(documents, list):
            results.append(None)
            missing.append("children.documents")
            continue
        held.extend(documents)
        value, child_missing = _documents_match(documents, arg, "children.documents", on)
        results.append(value)
        missing.extend(child_missing)
    value = _any(results) if results else False
    params["have"] = say.answer(_held(held, say))
    return value, (_dedupe(missing) if value is None else []), params


def _needs_review(arg, facts, on, say):
    """A ground the app cannot check from answers: always unknown, for a legal adviser."""
    return None, ["review"], {"what": arg[say.lang]}


_LEAVES = {
    "nationality_in": _nationality_in,
    "nationality_only_in": _nationality_only_in,
    "age_between": _age_between,
    "date_before": _date_before,
    "open_until": _open_until,
    "date_between": _date_between,
    "entry_mode_in": _entry_mode_in,
    "fact_is": _fact_is,
    "has_document": _has_document,
    "child_has_document": _child_has_document,
    "needs_review": _needs_review,
}


# --- deadlines and source ---------------------------------------------------------------


def _deadlines(rule, facts, on, lang) -> list[dict]:
    deadlines = []
    for window in rule.get("application_windows") or []:
        if window["to"] < on:
            continue
        label = window.get("label", {}).get(lang) or rule["names"][lang]
        deadlines.append(_window("application_window", window["from"], window["to"], label, on))
    for follow in rule.get("follows") or []:
        window = follow.get("window") or {}
        if "before_expiry_days" not in window:
            continue
        anchor = _follows_anchor(rule, window, facts)
        try:
            start = anchor - datetime.timedelta(days=window["before_expiry_days"])
        except (TypeError, OverflowError):
            continue  # no anchor, or a window before year 1: nothing that can be dated
        deadlines.append(_window("follows", start, anchor, follow["text"][lang], on))
    return deadlines


def _follows_anchor(rule, window, facts) -> datetime.date | None:
    """The end of what the person holds now, when it is what this pathway grants.

    With `permit_types`, only a current permit of one of those types counts (a tourist visa
    says nothing about a MERCOSUR residence); it ends on its expiry or, undated, when the
    pathway itself ends. A permit without a type gives nothing: better silent than a guess.
    Without `permit_types` no permit counts, only the pathway's own end date.
    """
    end = rule["effective"].get("to")
    types = window.get("permit_types")
    if not types:
        return end
    permit = facts.raw.get("current_residence_permit")
    if not isinstance(permit, Mapping) or permit.get("type") not in types:
        return None
    return as_date(permit.get("expires")) or end


def _window(kind, start, end, label, on) -> dict:
    state = "open" if start <= on <= end else ("upcoming" if on < start else "past")
    return {
        "kind": kind,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "label": label,
        "state": state,
    }


def _source(rule, nodes, on, say, stale_after_days) -> dict:
    lang, texts = say.lang, TEXTS[say.lang]
    instrument = rule["instrument"]
    warnings = [w[lang] for w in rule.get("warnings") or []]
    warnings += [
        texts["unverified"].format(text=n["text"]) for n in _flatten(nodes) if n["unverified"]
    ]
    stale = (on - rule["last_reviewed"]).days > stale_after_days
    if stale:
        warnings.append(texts["stale"].format(date=say.date(rule["last_reviewed"])))
    return {
        "instrument": {
            "name": instrument["name"],
            "date": instrument["date"].isoformat() if instrument.get("date") else None,
            "url": instrument.get("url"),
        },
        "last_reviewed": rule["last_reviewed"].isoformat(),
        "stale_rules": stale,
        "warnings": warnings,
        "notice": texts["notice"],
    }


# --- helpers ----------------------------------------------------------------------------


class _Facts:
    """Read access to a profile that tolerates anything: unreadable values are missing."""

    def __init__(self, raw: Mapping):
        self.raw = raw

    def date(self, name) -> datetime.date | None:
        return as_date(self.raw.get(name))

    def list_of(self, name) -> list | None:
        value = self.raw.get(name)
        return value if isinstance(value, list) else None

    def nationalities(self) -> list[str]:
        value = self.raw.get("nationalities")
        if not isinstance(value, list):
            return []
        return _dedupe(code.upper() for code in value if isinstance(code, str))


def _age(birth: datetime.date, on: datetime.date) -> int | None:
    if birth > on:
        return None
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


class _Say:
    """Words for generated texts in one language: names instead of codes and identifiers."""

    def __init__(self, lang: str, country_name: CountryName | None):
        self.lang = lang
        self.texts = TEXTS[lang]
        self.country_name = country_name

    def word(self, key: str) -> str:
        return self.texts[key]

    def country(self, code: str) -> str:
        if self.country_name is None:
            return code
        return self.country_name(code, self.lang) or code

    def named(self, prefix: str, value: str) -> str:
        """A rule value in words ("document:ppt" -> "a PPT"); unknown ones lose underscores."""
        return self.texts.get(f"{prefix}:{value}") or str(value).replace("_", " ")

    def fact(self, name: str) -> str:
        return self.named("fact", name)

    def either(self, items: list[str]) -> str:
        """ "A, B or C" in the language."""
        if len(items) < 2:
            return "".join(items)
        return ", ".join(items[:-1]) + self.texts["or"] + items[-1]

    def answer(self, value) -> str:
        """ "your answer: …", or that there is no answer yet."""
        if value is None or value == "":
            return self.texts["missing"]
        return self.texts["answer"].format(value=value)

    def date(self, value: datetime.date | None) -> str | None:
        # ISO, as the rule files' own texts write dates.
        return value.isoformat() if value else None


def _capitalize(text: str) -> str:
    return text[:1].upper() + text[1:]


def _dedupe(items) -> list:
    return list(dict.fromkeys(items))


def _flatten(nodes):
    for node in nodes:
        yield node
        yield from _flatten(node.get("children", []))


def _reason_lines(node, depth) -> list[str]:
    lines = [f"{'  ' * depth}{MARKS[node['result']]} {node['text']}"]
    for child in node.get("children", []):
        lines.extend(_reason_lines(child, depth + 1))
    return lines
