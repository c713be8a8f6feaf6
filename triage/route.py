"""Routing: pick the topic, resolve the questions' answers, apply the policy's rules, pick a channel."""

from __future__ import annotations

from typing import Any

from . import availability
from .policy import Policy


def _truthy_answer(value: Any) -> Any:
    """YAML 1.1 and JSON callers may send booleans for yes/no answers."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return value.strip().lower() if isinstance(value, str) else value


def resolve_answers(policy: Policy, text_units, answers: dict | None) -> tuple[dict, list[dict]]:
    """Effective answer per question with its source (explicit, text, default); bad answers reported."""
    resolved: dict[str, dict] = {}
    problems: list[dict] = []
    for key, raw in (answers or {}).items():
        q = policy.questions.get(key)
        value = _truthy_answer(raw)
        if q is None:
            problems.append({"field": key, "value": str(raw),
                             "message": f"Вопроса «{key}» нет у провайдера {policy.name}; ответ не учтён."})
            continue
        values = [o["value"] for o in q["options"]]
        if value in ("", None):
            continue
        if value not in values:
            problems.append({"field": key, "value": str(raw),
                             "message": f"Ответ «{raw}» на вопрос «{q['text']}» не распознан; "
                                        f"возможные ответы: {', '.join(values)}."})
            continue
        resolved[key] = {"value": value, "source": "explicit"}
    for qid, value in policy.question_matcher.find(text_units):
        if qid not in resolved:
            resolved[qid] = {"value": value, "source": "text"}
    for qid, q in policy.questions.items():
        if qid not in resolved and q.get("default") is not None:
            resolved[qid] = {"value": q["default"], "source": "default"}
    return resolved, problems


def _answer_list(allowed: Any) -> list:
    """`when` values are one answer or a list of answers (a string is one answer, never a substring set)."""
    return list(allowed) if isinstance(allowed, (list, tuple)) else [allowed]


def decide(policy: Policy, topic: dict | None, values: dict[str, str]) -> dict:
    """Apply the topic's recommendation, then the routing rules in order."""
    if topic is not None:
        channel = topic["channel"]
        reasons = [topic["reason"]]
        department, priority = topic.get("department"), topic.get("priority")
    else:
        channel = policy.routing["default_channel"]
        reasons = [policy.routing["default_reason"]]
        department = priority = None
    applied = []
    for index, rule in enumerate(policy.rules):
        if rule.get("channels") and channel not in rule["channels"]:
            continue
        if rule.get("topics") and (topic is None or topic["id"] not in rule["topics"]):
            continue
        if not all(values.get(q) in _answer_list(allowed) for q, allowed in rule["when"].items()):
            continue
        changed = ((rule.get("channel", channel), rule.get("priority", priority),
                    rule.get("department", department)) != (channel, priority, department))
        if not changed:
            continue
        channel = rule.get("channel", channel)
        priority = rule.get("priority", priority)
        department = rule.get("department", department)
        reasons.append(rule["reason"])
        applied.append(index)
    return {"channel": channel, "department": department, "priority": priority,
            "reasons": reasons, "rules": applied}


def _outcome_key(outcome: dict) -> tuple:
    return (outcome["channel"], outcome["department"], outcome["priority"])


def open_questions(policy: Policy, topic: dict | None, resolved: dict) -> list[dict]:
    """Questions not yet answered by the customer or their text whose answer changes the outcome."""
    values = {q: a["value"] for q, a in resolved.items()}
    out = []
    for qid, q in policy.questions.items():
        if resolved.get(qid, {}).get("source") in ("explicit", "text"):
            continue
        outcomes = {_outcome_key(decide(policy, topic, {**values, qid: o["value"]})) for o in q["options"]}
        if len(outcomes) > 1:
            out.append({"id": qid, "text": q["text"], "help": q.get("help", ""),
                        "options": [{"value": o["value"], "label": o["label"]} for o in q["options"]],
                        "default": q.get("default")})
    return out


def route(policy: Policy, text: str, answers: dict | None = None, topic_id: str | None = None,
          now=None) -> dict:
    """The recommendation for a customer's text and answers (a topic chosen by hand wins).

    now: an aware datetime (the customer's clock); routes to a channel open now. None: any hour.
    """
    matcher = policy.matcher
    units = matcher.lexicon.units(text or "")
    ranked = matcher.rank(text or "")
    chosen, score, picked = None, 0.0, False
    if topic_id and topic_id in policy.topics:
        chosen, picked = policy.topics[topic_id], True
        score = next((s for t, s in ranked if t["id"] == topic_id), 0.0)
    elif ranked and ranked[0][1] >= matcher.THRESHOLD:
        chosen, score = ranked[0]
    resolved, answer_problems = resolve_answers(policy, units, answers)
    values = {q: a["value"] for q, a in resolved.items()}
    outcome = decide(policy, chosen, values)
    hours_info = availability.adjust(policy, chosen, outcome, now)
    channel = policy.channels[outcome["channel"]]

    candidates = []
    for t, s in ranked[:6]:
        if s <= 0 and candidates:
            break
        candidates.append({"id": t["id"], "title": t["title"], "score": s,
                           "channel": policy.channel_summary(t["channel"])})
    if not candidates or candidates[0]["score"] <= 0:
        candidates = [{"id": t["id"], "title": t["title"], "score": 0.0,
                       "channel": policy.channel_summary(t["channel"])} for t in policy.topics.values()]

    alternatives: list[dict] = []
    seen = {channel["id"]}

    def add_alternative(cid: str, why: str) -> None:
        if cid in policy.channels and cid not in seen and len(alternatives) < 3:
            seen.add(cid)
            alternatives.append({**policy.channel_summary(cid), "why": why})

    if chosen is not None:
        for cid in chosen.get("also") or []:
            add_alternative(cid, chosen["reason"])
        for t, s in ranked[1:4]:
            if s >= max(matcher.THRESHOLD, 0.6 * score):
                add_alternative(t["channel"], f"Если ваша ситуация ближе к «{t['title']}»: {t['reason']}")
    add_alternative(policy.routing["default_channel"], policy.routing["default_reason"])

    reasons = list(outcome["reasons"])
    if not chosen:
        reasons.insert(0, "Тема обращения не определена однозначно: выберите подходящую из списка "
                          "или опишите ситуацию подробнее.")
    reasons.append(channel["authorization"])

    return availability.annotate(policy, {
        "provider": {"id": policy.id, "name": policy.name},
        "topic": ({"id": chosen["id"], "title": chosen["title"], "score": score, "type": chosen["type"],
                   "picked": picked} if chosen else None),
        "candidates": candidates,
        "channel": {**policy.channel_summary(channel["id"]), "authorized": channel["authorized"],
                    "purpose": channel["purpose"], "response_time": channel.get("response_time"),
                    "availability": channel.get("availability"), "address": channel.get("address"),
                    "address_note": channel.get("address_note")},
        "alternatives": alternatives,
        "reasons": reasons,
        "prepare": list(channel.get("prepare") or []),
        "cannot": list(channel.get("cannot") or []),
        "next": list(channel.get("after") or []),
        "how_to": list(channel.get("how_to") or []),
        "answers": resolved,
        "answer_problems": answer_problems,
        "questions": open_questions(policy, chosen, resolved),
        "fields": {"department": outcome["department"],
                   "department_title": policy.department_title(outcome["department"]),
                   "priority": outcome["priority"],
                   "priority_title": policy.priority_title(outcome["priority"])},
    }, chosen, now, hours_info)
