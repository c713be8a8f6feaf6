"""Routing: pick the topic, resolve the questions' answers, apply the policy's rules, pick a channel."""

from __future__ import annotations

from typing import Any

from . import availability
from .match import surface
from .policy import Policy


def _truthy_answer(value: Any) -> Any:
    """YAML 1.1 and JSON callers may send booleans for yes/no answers."""
    if value is True:
        return "yes"
    if value is False:
        return "no"
    return value.strip().lower() if isinstance(value, str) else value


def resolve_answers(
    policy: Policy, text_units, answers: dict | None, signal: dict | None = None
) -> tuple[dict, list[dict]]:
    """Effective answer per question with its source (explicit, text, default); bad answers reported.

    Answers read from the text (`infer`: phrases, or the severity the text shows, optionally only for some
    intents) obey negation scope and carry `guess: True` and the words they came from: the customer may
    change them. `signal` is {"intent": id or None, "levels": severity levels, "severity_evidence": [...]}.
    """
    signal = signal or {}
    resolved: dict[str, dict] = {}
    problems: list[dict] = []
    for key, raw in (answers or {}).items():
        q = policy.questions.get(key)
        value = _truthy_answer(raw)
        if q is None:
            problems.append(
                {
                    "field": key,
                    "value": str(raw),
                    "message": f"Вопроса «{key}» нет у провайдера {policy.name}; ответ не учтён.",
                }
            )
            continue
        values = [o["value"] for o in q["options"]]
        if value in ("", None):
            continue
        if value not in values:
            problems.append(
                {
                    "field": key,
                    "value": str(raw),
                    "message": f"Ответ «{raw}» на вопрос «{q['text']}» не распознан; "
                    f"возможные ответы: {', '.join(values)}.",
                }
            )
            continue
        resolved[key] = {"value": value, "source": "explicit"}
    phrase_hits: dict[tuple[str, int], list[int]] = {}
    for (qid, n, _value), idx in policy.question_matcher.spans(text_units):
        phrase_hits.setdefault((qid, n), idx)
    levels = set(signal.get("levels") or ())
    for qid, q in policy.questions.items():
        if qid in resolved:
            continue
        for n, inf in enumerate(q.get("infer") or []):
            if inf.get("intents") and signal.get("intent") not in inf["intents"]:
                continue
            if (qid, n) in phrase_hits:
                words = [surface(text_units, phrase_hits[(qid, n)])]
            elif levels & set(inf.get("severity") or ()):
                words = [e["words"] for e in signal.get("severity_evidence") or [] if e["level"] in inf["severity"]]
            else:
                continue
            resolved[qid] = {"value": inf["value"], "source": "text", "guess": True, "evidence": words}
            break
    for qid, q in policy.questions.items():
        if qid not in resolved and q.get("default") is not None:
            resolved[qid] = {"value": q["default"], "source": "default"}
    return resolved, problems


def _answer_list(allowed: Any) -> list:
    """`when` values are one answer or a list of answers (a string is one answer, never a substring set)."""
    return list(allowed) if isinstance(allowed, (list, tuple)) else [allowed]


def decide(policy: Policy, topic: dict | None, values: dict[str, str], signal: dict | None = None) -> dict:
    """Apply the topic's recommendation, then the routing rules in order (a rule may also require an
    intent or a severity level read from the text)."""
    signal = signal or {}
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
        if rule.get("intents") and signal.get("intent") not in rule["intents"]:
            continue
        if rule.get("severity") and not set(signal.get("levels") or ()) & set(rule["severity"]):
            continue
        if not all(values.get(q) in _answer_list(allowed) for q, allowed in (rule.get("when") or {}).items()):
            continue
        changed = (
            rule.get("channel", channel),
            rule.get("priority", priority),
            rule.get("department", department),
        ) != (channel, priority, department)
        if not changed:
            continue
        channel = rule.get("channel", channel)
        priority = rule.get("priority", priority)
        department = rule.get("department", department)
        reasons.append(rule["reason"])
        applied.append(index)
    return {"channel": channel, "department": department, "priority": priority, "reasons": reasons, "rules": applied}


def _outcome_key(outcome: dict) -> tuple:
    return (outcome["channel"], outcome["department"], outcome["priority"])


def open_questions(policy: Policy, topic: dict | None, resolved: dict, signal: dict | None = None) -> list[dict]:
    """Questions not yet answered by the customer or their text whose answer changes the outcome."""
    values = {q: a["value"] for q, a in resolved.items()}
    out = []
    for qid, q in policy.questions.items():
        if resolved.get(qid, {}).get("source") in ("explicit", "text"):
            continue
        outcomes = {_outcome_key(decide(policy, topic, {**values, qid: o["value"]}, signal)) for o in q["options"]}
        if len(outcomes) > 1:
            out.append(
                {
                    "id": qid,
                    "text": q["text"],
                    "help": q.get("help", ""),
                    "options": [{"value": o["value"], "label": o["label"]} for o in q["options"]],
                    "default": q.get("default"),
                }
            )
    return out


#: Intents the text shows count when they score at least this share of the strongest one.
INTENT_SHARE = 0.5
#: Score factor for a topic that declares `intents` without the intent read from the text.
INTENT_MISMATCH = 0.6
#: Score factor, in a general question to the provider («есть ли у вас...», «do you...»), for a topic that is not
#: a question (a problem, an invoice, an account change): the customer asks about the service, not their case.
GENERAL_MISMATCH = 0.5
#: Ask «Что ближе к вашей ситуации?» when the chosen topic scores below this...
ASK_BELOW = 0.45
#: ...or when another topic with a different channel scores at least this share of the top score.
ASK_CLOSE = 0.85
#: A topic scoring below this gives way to the policy's topic for the text's intent (`intent_topics`).
FALLBACK_BELOW = 0.4
#: Candidates shown: topics scoring at least this share of the top score (at most MAX_CANDIDATES).
CANDIDATE_SHARE = 0.5
MAX_CANDIDATES = 3
ASK_QUESTION = "Что ближе к вашей ситуации?"
ASK_OTHER = "Другое"

#: The intent a topic stands for when the text names none (from the topic's `intents` or its `type`).
_TYPE_INTENT = {"problem": "problem", "administrative": "admin_change", "question": "question"}


def accepts(topic: dict, intents) -> bool:
    """A topic takes every intent unless it declares `intents`; `intents` is a set of active intents."""
    return not intents or not topic.get("intents") or bool(set(intents) & set(topic["intents"]))


def _absorbed(matcher, units, index: int, intent: dict, weigh: set) -> set:
    """Intents of `weigh` shown only by words that are the topic's own (abuse «жалобы» at a topic about where
    complaints are sent, «ответы на тикеты» at a topic about the address for ticket replies): they describe the
    topic, so they do not count against it."""
    own = {w for e in matcher.explain(units, index) for w in e["words"].split()}
    cue_words = {w for cues in intent["cues"].values() for e in cues for w in e["words"].split()}
    if len(own - cue_words) < 2:
        return set()  # the topic shares only the intent's words («ответ на мой тикет»): nothing of its own
    out = set()
    for iid in weigh:
        cues = intent["cues"].get(iid) or []
        if cues and all(w in own for e in cues for w in e["words"].split()):
            out.add(iid)
    return out


def _summary(policy: Policy, topic: dict, score: float) -> dict:
    return {
        "id": topic["id"],
        "title": topic["title"],
        "score": score,
        "channel": policy.channel_summary(topic["channel"]),
    }


def route(policy: Policy, text: str, answers: dict | None = None, topic_id: str | None = None, now=None) -> dict:
    """The recommendation for a customer's text and answers (a topic chosen by hand wins).

    now: an aware datetime (the customer's clock); routes to a channel open now. None: any hour.
    """
    matcher = policy.matcher
    text = text or ""
    units = matcher.lexicon.units(text)
    intent = policy.signals.intent(units, text)
    severity = policy.signals.severity(units)
    shows = {"outage", "degraded"} & set(severity["levels"])
    if intent["id"] is None and shows and "problem" in policy.signals.intents:
        # No intent cue, but the text says how badly something works («high latency», «всё лежит»): a problem report.
        evidence = [e for e in severity["evidence"] if e["level"] in ("outage", "degraded")]
        intent = {**intent, "id": "problem", "score": 1.0, "scores": {**intent["scores"], "problem": 1.0}}
        intent["evidence"] = evidence
        intent["cues"] = {**intent["cues"], "problem": evidence}
    iid = intent["id"]
    order = {t["id"]: i for i, t in enumerate(policy.topics.values())}
    # An intent that none of the provider's topics declares reweighs nothing.
    # Every intent the text shows counts (a text may both report and ask); a topic that declares intents and
    # takes none of them weighs less (a complaint matches no topic of a provider without a complaint topic).
    weigh = {
        i for i, v in intent["scores"].items() if v >= policy.signals.MIN_INTENT and v >= INTENT_SHARE * intent["score"]
    }
    levels = set(severity["levels"])
    general = intent["general"]
    rule_ranked = matcher.rank_units(units)
    absorbed: dict[str, set] = {}
    for t, s in rule_ranked:
        if s < FALLBACK_BELOW:
            break
        if weigh and not accepts(t, weigh):
            absorbed[t["id"]] = _absorbed(matcher, units, order[t["id"]], intent, weigh)

    def takes(t: dict) -> bool:
        return accepts(t, weigh - absorbed.get(t["id"], set()))

    ranked = sorted(
        (
            (
                t,
                round(
                    s
                    * (1.0 if takes(t) else INTENT_MISMATCH)
                    * (1.0 if not t.get("severity") or levels & set(t["severity"]) else INTENT_MISMATCH)
                    * (GENERAL_MISMATCH if general and t["type"] != "question" else 1.0),
                    4,
                ),
            )
            for t, s in rule_ranked
        ),
        key=lambda ts: (-ts[1], order[ts[0]["id"]]),
    )
    scores = {t["id"]: s for t, s in ranked}
    top, top_score = ranked[0] if ranked else (None, 0.0)

    chosen, score, picked, by_intent = None, 0.0, False, False
    fallback = (policy.routing.get("intent_topics") or {}).get(iid)
    weak = top is None or top_score < FALLBACK_BELOW or not takes(top)
    if general and top is not None and top["type"] == "question" and top_score >= matcher.THRESHOLD:
        weak = False  # a general question that matches a question topic of the provider: that topic
    if topic_id and topic_id in policy.topics:
        chosen, picked = policy.topics[topic_id], True
        score = scores.get(topic_id, 0.0)
    elif (
        iid in (policy.routing.get("intent_default") or ())
        and (weak or not accepts(top, {iid}))
        and (top is None or iid not in absorbed.get(top["id"], ()))
    ):
        # The text says what kind of request it is and the policy has no topic for it: the default channel.
        by_intent = True
    elif fallback in policy.topics and weak:
        # The text says what kind of request it is, but no topic of that kind matches well: the policy's
        # topic for the intent (e.g. presales questions -> chat, request status -> status self-service).
        chosen, score, by_intent = policy.topics[fallback], scores.get(fallback, 0.0), True
    elif top is not None and top_score >= matcher.THRESHOLD:
        chosen, score = top, top_score

    signal = {"intent": iid, "levels": severity["levels"], "severity_evidence": severity["evidence"]}
    if iid is None and chosen is not None:
        signal["intent"] = (chosen.get("intents") or [_TYPE_INTENT[chosen["type"]]])[0]
    resolved, answer_problems = resolve_answers(policy, units, answers, signal)
    values = {q: a["value"] for q, a in resolved.items()}
    outcome = decide(policy, chosen, values, signal)
    hours_info = availability.adjust(policy, chosen, outcome, now)
    channel = policy.channels[outcome["channel"]]

    # Candidates: the close topics, best first (the intent's topic first when it decided).
    candidates = [_summary(policy, t, s) for t, s in ranked if s > 0 and s >= CANDIDATE_SHARE * top_score][
        :MAX_CANDIDATES
    ]
    if chosen is not None and not picked and chosen["id"] not in [c["id"] for c in candidates]:
        candidates = [_summary(policy, chosen, score), *candidates][:MAX_CANDIDATES]
    elif chosen is not None and not picked:
        candidates.sort(key=lambda c: c["id"] != chosen["id"])

    # Confidence in the topic (0..1): its score, discounted when a rival with another channel is close.
    rival = next(
        (s for t, s in ranked if chosen is not None and t["id"] != chosen["id"] and t["channel"] != chosen["channel"]),
        0.0,
    )
    if picked:
        confidence = 1.0
    elif by_intent:
        confidence = min(0.9, 0.4 + 0.15 * intent["score"])
    elif chosen is not None and score > 0:
        confidence = min(1.0, score) * (1.0 - 0.5 * min(1.0, rival / score))
    else:
        confidence = 0.0
    confidence = round(confidence, 3)
    ask_topic = (
        bool(candidates)
        and not picked
        and not by_intent
        and (chosen is None or score < ASK_BELOW or rival >= ASK_CLOSE * score)
    )

    alternatives: list[dict] = []
    seen = {channel["id"]}

    def add_alternative(cid: str, why: str) -> None:
        if cid in policy.channels and cid not in seen and len(alternatives) < 3:
            seen.add(cid)
            alternatives.append({**policy.channel_summary(cid), "why": why})

    if chosen is not None:
        for cid in chosen.get("also") or []:
            add_alternative(cid, chosen["reason"])
        for t, s in [ts for ts in ranked if ts[0]["id"] != chosen["id"]][:3]:
            if s >= max(matcher.THRESHOLD, 0.6 * score):
                add_alternative(t["channel"], f"Если ваша ситуация ближе к «{t['title']}»: {t['reason']}")
    add_alternative(policy.routing["default_channel"], policy.routing["default_reason"])

    reasons = list(outcome["reasons"])
    if not chosen and not by_intent:
        reasons.insert(
            0, "Тема обращения не определена однозначно: выберите подходящую из списка или опишите ситуацию подробнее."
        )
    reasons.append(channel["authorization"])

    intent_id = signal["intent"]
    explain_topic = []
    if chosen is not None and not picked:
        explain_topic = list(intent["evidence"]) if by_intent else matcher.explain(units, order[chosen["id"]])
    explain = {
        "topic": explain_topic,
        "intent": list(intent["evidence"]),
        "severity": [*severity["evidence"], *severity["negated"]],
    }
    explain["lines"] = _explain_lines(
        policy, chosen, picked, by_intent, intent_id, iid is not None, severity, explain, resolved
    )

    return availability.annotate(
        policy,
        {
            "provider": {"id": policy.id, "name": policy.name},
            "topic": (
                {
                    "id": chosen["id"],
                    "title": chosen["title"],
                    "score": score,
                    "type": chosen["type"],
                    "picked": picked,
                    "by_intent": by_intent,
                }
                if chosen
                else None
            ),
            "intent": {
                "id": intent_id,
                "title": policy.intent_titles.get(intent_id) if intent_id else None,
                "source": "text" if iid is not None else ("topic" if intent_id else None),
                "score": intent["score"],
                "scores": intent["scores"],
            },
            "severity": {"level": severity["level"], "levels": severity["levels"]},
            "confidence": confidence,
            "ask_topic": ask_topic,
            "ask": (
                {
                    "question": ASK_QUESTION,
                    "options": [
                        *({"id": c["id"], "title": c["title"]} for c in candidates),
                        {"id": None, "title": ASK_OTHER},
                    ],
                }
                if ask_topic
                else None
            ),
            "candidates": candidates,
            "explain": explain,
            "answers_guessed": [
                {
                    "id": qid,
                    "text": policy.questions[qid]["text"],
                    "value": a["value"],
                    "label": next(o["label"] for o in policy.questions[qid]["options"] if o["value"] == a["value"]),
                    "options": [{"value": o["value"], "label": o["label"]} for o in policy.questions[qid]["options"]],
                    "evidence": a["evidence"],
                }
                for qid, a in resolved.items()
                if a.get("guess")
            ],
            "channel": {
                **policy.channel_summary(channel["id"]),
                "authorized": channel["authorized"],
                "purpose": channel["purpose"],
                "response_time": channel.get("response_time"),
                "availability": channel.get("availability"),
                "address": channel.get("address"),
                "address_note": channel.get("address_note"),
            },
            "alternatives": alternatives,
            "reasons": reasons,
            "prepare": list(channel.get("prepare") or []),
            "cannot": list(channel.get("cannot") or []),
            "next": list(channel.get("after") or []),
            "how_to": list(channel.get("how_to") or []),
            "answers": resolved,
            "answer_problems": answer_problems,
            "questions": open_questions(policy, chosen, resolved, signal),
            "fields": {
                "department": outcome["department"],
                "department_title": policy.department_title(outcome["department"]),
                "priority": outcome["priority"],
                "priority_title": policy.priority_title(outcome["priority"]),
            },
        },
        chosen,
        now,
        hours_info,
    )


_LEVEL_WORDS = {"outage": "полная недоступность", "urgent": "срочно", "degraded": "работает, но плохо"}


def _quote(items: list[dict]) -> str:
    return ", ".join(f"«{w}»" for w in dict.fromkeys(i["words"] for i in items))


def _explain_lines(
    policy: Policy, chosen, picked, by_intent, intent_id, intent_from_text, severity, explain, resolved
) -> list[str]:
    """«Так мы поняли ваше описание»: one Russian line per signal, naming the customer's words."""
    lines = []
    if chosen is not None:
        if picked:
            lines.append(f"Тема «{chosen['title']}»: вы выбрали её сами.")
        elif by_intent:
            lines.append(f"Тема «{chosen['title']}»: так мы поняли, что вы хотите ({_quote(explain['intent'])}).")
        elif explain["topic"]:
            lines.append(f"Тема «{chosen['title']}»: по словам {_quote(explain['topic'])}.")
    if intent_id:
        title = policy.intent_titles.get(intent_id, intent_id)
        if intent_from_text and explain["intent"]:
            lines.append(f"Вид обращения — {title.lower()}: по словам {_quote(explain['intent'])}.")
    if severity["evidence"]:
        lines.append(f"Серьёзность — {_LEVEL_WORDS[severity['level']]}: по словам {_quote(severity['evidence'])}.")
    if severity["negated"]:
        lines.append(f"Не считаем аварией или срочностью слова с отрицанием: {_quote(severity['negated'])}.")
    for qid, a in resolved.items():
        if a.get("guess"):
            q = policy.questions[qid]
            label = next(o["label"] for o in q["options"] if o["value"] == a["value"])
            lines.append(
                f"«{q['text']}» — предполагаем «{label}» по словам "
                f"{', '.join('«' + w + '»' for w in a['evidence'])}; можно изменить."
            )
    return lines
