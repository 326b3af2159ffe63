"""Which regular pathways a person may use: a pure, explainable evaluation. No Django.

Input: rules (dicts from `rules.load_rules`), a profile (a dict of facts, any of which may be
missing or malformed: what cannot be read counts as missing), a host country and a date. The
date is always given, never "today". Output: one result per pathway of the host country.

Conditions are three-valued: True, False or None (unknown, because a fact is missing).
"""

import datetime
from collections.abc import Mapping

Tri = bool | None

STALE_AFTER_DAYS = 180
LANGUAGES = ("es", "en", "pt")

# Generated texts, used when a condition has no `text` of its own. Data, not gettext: this
# module runs outside Django and the rule files already carry their own three languages.
TEXTS = {
    "en": {
        "nationality_in": "Nationality among {want} (profile: {have})",
        "age_between": "Age between {min} and {max} on {on} (profile: {have})",
        "date_before": "{fact} before {date} (profile: {have})",
        "date_between": "{fact} between {from} and {to} (profile: {have})",
        "entry_mode_in": "Entry mode among {want} (profile: {have})",
        "has_document": "Holds a document of type {types}{valid_on} (profile: {have})",
        "child_has_document": "A child holds a document of type {types}{valid_on} "
        "(profile: {have})",
        "fact_is": "{fact} is {value} (profile: {have})",
        "any_of": "At least one of the following",
        "all_of": "All of the following",
        "not": "None of the following",
        "valid_on": ", valid on {date}",
        "missing": "missing",
        "none": "none",
        "yes": "yes",
        "no": "no",
        "closed": "Closed since {date}: this pathway existed and no longer accepts applications.",
        "not_yet": "Not yet in force: it takes effect on {date}.",
        "no_open_window": "No application window is open on {on}; the next one opens on {date}.",
        "failed": "Not met: {text}",
        "unverified": "Unverified information, confirm with the authority: {text}",
        "stale": "These rules were last reviewed on {date}; they may be out of date.",
        "notice": "Orientation only, not a legal decision. Confirm with the competent authority.",
    },
    "es": {
        "nationality_in": "Nacionalidad entre {want} (perfil: {have})",
        "age_between": "Edad entre {min} y {max} el {on} (perfil: {have})",
        "date_before": "{fact} antes del {date} (perfil: {have})",
        "date_between": "{fact} entre el {from} y el {to} (perfil: {have})",
        "entry_mode_in": "Modo de ingreso entre {want} (perfil: {have})",
        "has_document": "Tiene un documento de tipo {types}{valid_on} (perfil: {have})",
        "child_has_document": "Un hijo o hija tiene un documento de tipo {types}{valid_on} "
        "(perfil: {have})",
        "fact_is": "{fact} es {value} (perfil: {have})",
        "any_of": "Al menos una de las siguientes",
        "all_of": "Todas las siguientes",
        "not": "Ninguna de las siguientes",
        "valid_on": ", vigente el {date}",
        "missing": "falta el dato",
        "none": "ninguno",
        "yes": "sí",
        "no": "no",
        "closed": "Cerrada desde el {date}: esta vía existió y ya no recibe solicitudes.",
        "not_yet": "Todavía no está vigente: entra en vigor el {date}.",
        "no_open_window": "No hay ventana de solicitud abierta el {on}; la próxima abre el {date}.",
        "failed": "No se cumple: {text}",
        "unverified": "Información no verificada, confirme con la autoridad: {text}",
        "stale": "Estas reglas se revisaron por última vez el {date}; "
        "pueden estar desactualizadas.",
        "notice": "Solo orientación, no es una decisión legal. "
        "Confirme con la autoridad competente.",
    },
    "pt": {
        "nationality_in": "Nacionalidade entre {want} (perfil: {have})",
        "age_between": "Idade entre {min} e {max} em {on} (perfil: {have})",
        "date_before": "{fact} antes de {date} (perfil: {have})",
        "date_between": "{fact} entre {from} e {to} (perfil: {have})",
        "entry_mode_in": "Modo de entrada entre {want} (perfil: {have})",
        "has_document": "Possui um documento do tipo {types}{valid_on} (perfil: {have})",
        "child_has_document": "Um filho ou filha possui um documento do tipo {types}{valid_on} "
        "(perfil: {have})",
        "fact_is": "{fact} é {value} (perfil: {have})",
        "any_of": "Pelo menos uma das seguintes",
        "all_of": "Todas as seguintes",
        "not": "Nenhuma das seguintes",
        "valid_on": ", válido em {date}",
        "missing": "dado ausente",
        "none": "nenhum",
        "yes": "sim",
        "no": "não",
        "closed": "Encerrada desde {date}: esta via existiu e não recebe mais pedidos.",
        "not_yet": "Ainda não está em vigor: entra em vigor em {date}.",
        "no_open_window": "Nenhuma janela de pedido aberta em {on}; a próxima abre em {date}.",
        "failed": "Não cumprido: {text}",
        "unverified": "Informação não verificada, confirme com a autoridade: {text}",
        "stale": "Estas regras foram revisadas pela última vez em {date}; "
        "podem estar desatualizadas.",
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
) -> list[dict]:
    """One result per pathway of `country`, in rule id order."""
    country = str(country).upper()
    return [
        evaluate_rule(rule, profile, on=on, lang=lang, stale_after_days=stale_after_days)
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
) -> dict:
    lang = lang if lang in LANGUAGES else "es"
    texts = TEXTS[lang]
    facts = _Facts(profile if isinstance(profile, Mapping) else {})
    nodes = [_evaluate(condition, facts, on, lang) for condition in rule["conditions"]]
    value = _all([node["result"] for node in nodes])
    reasons = []
    for node in nodes:
        reasons.extend(_reason_lines(node, 0))

    status, missing, closed_since = _status(value, nodes)
    effective = rule["effective"]
    windows = rule.get("application_windows") or []
    closing = _closing_date(rule)
    if closing is not None and closing <= on:
        status, missing, closed_since = "closed", [], closing
        reasons.insert(0, texts["closed"].format(date=closing.isoformat()))
    elif on < effective["from"]:
        status, missing = "not_eligible", []
        reasons.insert(0, texts["not_yet"].format(date=effective["from"].isoformat()))
    elif windows and not any(w["from"] <= on <= w["to"] for w in windows):
        upcoming = min(w["from"] for w in windows if w["from"] > on)
        reasons.insert(0, texts["no_open_window"].format(on=on.isoformat(), date=upcoming))
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
        "source": _source(rule, nodes, on, lang, stale_after_days),
        "conditions": nodes,
    }


def _closing_date(rule) -> datetime.date | None:
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


def _evaluate(condition: Mapping, facts: "_Facts", on: datetime.date, lang: str) -> dict:
    kind = next(key for key in condition if key not in ("text", "unverified"))
    arg = condition[kind]
    children = []
    if kind in ("any_of", "all_of"):
        children = [_evaluate(child, facts, on, lang) for child in arg]
        results = [child["result"] for child in children]
        value = _any(results) if kind == "any_of" else _all(results)
        missing = _dedupe(m for child in children for m in child["missing"])
        params = {}
    elif kind == "not":
        children = [_evaluate(arg, facts, on, lang)]
        value = _not(children[0]["result"])
        missing = children[0]["missing"]
        params = {}
    else:
        value, missing, params = _LEAVES[kind](arg, facts, on, lang)
    if "text" in condition:
        text = condition["text"][lang]
    else:
        text = TEXTS[lang][kind].format(**params)
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


def _nationality_in(arg, facts, on, lang):
    have = facts.nationalities()
    params = {"want": ", ".join(arg), "have": ", ".join(have) if have else _word(lang, "missing")}
    if not have:
        return None, ["nationalities"], params
    return any(code in arg for code in have), [], params


def _age_between(arg, facts, on, lang):
    birth = facts.date("birth_date")
    age = _age(birth, on) if birth else None
    params = {
        "min": arg.get("min", 0),
        "max": arg.get("max", "∞"),
        "on": on.isoformat(),
        "have": age if age is not None else _word(lang, "missing"),
    }
    if age is None:
        return None, ["birth_date"], params
    return arg.get("min", 0) <= age <= arg.get("max", age), [], params


def _date_before(arg, facts, on, lang):
    have = facts.date(arg["fact"])
    params = {"fact": arg["fact"], "date": arg["date"].isoformat(), "have": _show(have, lang)}
    if have is None:
        return None, [arg["fact"]], params
    return have < arg["date"], [], params


def _date_between(arg, facts, on, lang):
    have = facts.date(arg["fact"])
    params = {
        "fact": arg["fact"],
        "from": arg["from"].isoformat(),
        "to": arg["to"].isoformat(),
        "have": _show(have, lang),
    }
    if have is None:
        return None, [arg["fact"]], params
    return arg["from"] <= have <= arg["to"], [], params


def _entry_mode_in(arg, facts, on, lang):
    have = facts.raw.get("entry_mode")
    if have not in ("regular", "irregular"):
        return None, ["entry_mode"], {"want": ", ".join(arg), "have": _word(lang, "missing")}
    return have in arg, [], {"want": ", ".join(arg), "have": have}


def _fact_is(arg, facts, on, lang):
    have = facts.raw.get(arg["fact"])
    params = {
        "fact": arg["fact"],
        "value": _word(lang, "yes" if arg["value"] else "no"),
        "have": _word(lang, "yes" if have else "no") if isinstance(have, bool) else None,
    }
    if not isinstance(have, bool):
        params["have"] = _word(lang, "missing")
        return None, [arg["fact"]], params
    return have is arg["value"], [], params


def _documents_match(documents, arg, missing_name) -> tuple[Tri, list[str]]:
    """Whether one of `documents` has a wanted type and, if asked, is valid on the date."""
    valid_on = arg.get("valid_on")
    results, missing = [], []
    for document in documents:
        if not isinstance(document, Mapping) or document.get("type") not in arg["types"]:
            continue
        if valid_on is None:
            return True, []
        issued, expires = _as_date(document.get("issued")), _as_date(document.get("expires"))
        if expires is not None and valid_on > expires:
            results.append(False)
        elif issued is None:
            results.append(None)
            missing.append(f"{missing_name}.issued")
        else:
            results.append(issued <= valid_on)
    value = _any(results) if results else False
    return value, (missing if value is None else [])


def _describe_documents(arg, lang) -> dict:
    valid_on = arg.get("valid_on")
    return {
        "types": ", ".join(arg["types"]),
        "valid_on": TEXTS[lang]["valid_on"].format(date=valid_on.isoformat()) if valid_on else "",
    }


def _has_document(arg, facts, on, lang):
    documents = facts.list_of("documents")
    params = _describe_documents(arg, lang)
    if documents is None:
        return None, ["documents"], {**params, "have": _word(lang, "missing")}
    types = [d.get("type") for d in documents if isinstance(d, Mapping)]
    params["have"] = ", ".join(str(t) for t in types) or _word(lang, "none")
    value, missing = _documents_match(documents, arg, "documents")
    return value, missing, params


def _child_has_document(arg, facts, on, lang):
    children = facts.list_of("children")
    params = _describe_documents(arg, lang)
    if children is None:
        return None, ["children"], {**params, "have": _word(lang, "missing")}
    results, missing = [], []
    for child in children:
        documents = child.get("documents") if isinstance(child, Mapping) else None
        if not isinstance(documents, list):
            results.append(None)
            missing.append("children.documents")
            continue
        value, child_missing = _documents_match(documents, arg, "children.documents")
        results.append(value)
        missing.extend(child_missing)
    value = _any(results) if results else False
    params["have"] = str(len(children))
    return value, (_dedupe(missing) if value is None else []), params


_LEAVES = {
    "nationality_in": _nationality_in,
    "age_between": _age_between,
    "date_before": _date_before,
    "date_between": _date_between,
    "entry_mode_in": _entry_mode_in,
    "fact_is": _fact_is,
    "has_document": _has_document,
    "child_has_document": _child_has_document,
}


# --- deadlines and source ---------------------------------------------------------------


def _deadlines(rule, facts, on, lang) -> list[dict]:
    deadlines = []
    for window in rule.get("application_windows") or []:
        if window["to"] < on:
            continue
        label = window.get("label", {}).get(lang) or rule["names"][lang]
        deadlines.append(_window("application_window", window["from"], window["to"], label, on))
    permit = facts.raw.get("current_residence_permit")
    permit_expires = _as_date(permit.get("expires")) if isinstance(permit, Mapping) else None
    anchor = permit_expires or rule["effective"].get("to")
    for follow in rule.get("follows") or []:
        days = (follow.get("window") or {}).get("before_expiry_days")
        if days is None or anchor is None:
            continue
        start = anchor - datetime.timedelta(days=days)
        deadlines.append(_window("follows", start, anchor, follow["text"][lang], on))
    return deadlines


def _window(kind, start, end, label, on) -> dict:
    state = "open" if start <= on <= end else ("upcoming" if on < start else "past")
    return {
        "kind": kind,
        "from": start.isoformat(),
        "to": end.isoformat(),
        "label": label,
        "state": state,
    }


def _source(rule, nodes, on, lang, stale_after_days) -> dict:
    texts = TEXTS[lang]
    instrument = rule["instrument"]
    warnings = [w[lang] for w in rule.get("warnings") or []]
    warnings += [
        texts["unverified"].format(text=n["text"]) for n in _flatten(nodes) if n["unverified"]
    ]
    stale = (on - rule["last_reviewed"]).days > stale_after_days
    if stale:
        warnings.append(texts["stale"].format(date=rule["last_reviewed"].isoformat()))
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
        return _as_date(self.raw.get(name))

    def list_of(self, name) -> list | None:
        value = self.raw.get(name)
        return value if isinstance(value, list) else None

    def nationalities(self) -> list[str]:
        value = self.raw.get("nationalities")
        if not isinstance(value, list):
            return []
        return _dedupe(code.upper() for code in value if isinstance(code, str))


def _as_date(value) -> datetime.date | None:
    if isinstance(value, datetime.datetime):
        return value.date()
    if isinstance(value, datetime.date):
        return value
    if isinstance(value, str):
        try:
            return datetime.date.fromisoformat(value)
        except ValueError:
            return None
    return None


def _age(birth: datetime.date, on: datetime.date) -> int | None:
    if birth > on:
        return None
    return on.year - birth.year - ((on.month, on.day) < (birth.month, birth.day))


def _show(value, lang) -> str:
    return value.isoformat() if value else _word(lang, "missing")


def _word(lang, key) -> str:
    return TEXTS[lang][key]


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
