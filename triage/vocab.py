"""Closed vocabularies shared by the schema, the engine and the wizard: kinds, identifiers, fields."""

CHANNEL_KINDS = {
    "ticket": "заявка (тикет) из панели управления или личного кабинета",
    "email": "электронная почта",
    "phone": "телефон",
    "chat": "чат на сайте",
    "messenger": "мессенджер или соцсеть (Telegram, ВКонтакте)",
    "self_service": "самообслуживание: настройка или страница, где всё делается без обращения",
}

#: Short names of kinds for badges and tables.
KIND_SHORT = {
    "ticket": "Заявка из панели",
    "email": "E-mail",
    "phone": "Телефон",
    "chat": "Чат",
    "messenger": "Мессенджер",
    "self_service": "Самостоятельно",
}

#: Identification data a provider may ask for (machine id -> label shown to the customer).
IDENTIFIERS = {
    "login": "Логин аккаунта",
    "contract": "Номер договора",
    "domain": "Домен",
    "ip": "IP-адрес сервера",
    "order": "Номер заказа (например, #123456)",
    "service": "Имя услуги, как в панели",
    "email": "E-mail, зарегистрированный в аккаунте",
    "owner": "Данные владельца (например, ИНН организации)",
    "ticket": "Номер заявки",
    "invoice": "Номер счёта",
}

REQUEST_TYPES = {
    "problem": "что-то не работает: нужны шаги, ожидаемый и фактический результат, тексты ошибок",
    "administrative": "административный вопрос: что получить или изменить и какая процедура нужна",
    "question": "вопрос или консультация",
}

PRIORITIES = {
    "normal": "обычный",
    "high": "высокий",
}

#: Guided description fields per request type (machine id -> label).
DESCRIPTION_FIELDS = {
    "problem": {
        "steps": "Что вы делали по шагам и к какому результату это привело",
        "expected": "Что ожидали",
        "actual": "Что произошло на самом деле",
        "error_text": "Точный текст или код ошибки (скопируйте текстом)",
        "urls": "Адреса (URL), где видна проблема",
        "started_at": "Когда началось (дата, время и часовой пояс)",
        "frequency": "Как часто повторяется",
        "tried": "Что уже пробовали сделать",
        "attachments": "Что приложите (скриншоты, логи)",
    },
    "administrative": {
        "want": "Какую информацию нужно получить или изменить",
        "procedure": "Какую процедуру или действие нужно выполнить",
        "attachments": "Что приложите (документы, скриншоты)",
    },
    "question": {
        "context": "Подробности и контекст вопроса",
    },
}

#: Other free fields of the draft.
OTHER_FIELDS = {
    "subject": "Тема",
    "reply_to": "E-mail для ответа, если нужен другой адрес",
    "text": "Описание своими словами",
}


#: Every field a draft template may name: identification, description and other fields.
TEMPLATE_FIELDS = {**IDENTIFIERS, **{k: v for f in DESCRIPTION_FIELDS.values() for k, v in f.items()}, **OTHER_FIELDS}

#: Values a draft template may name besides the fields (always known, never empty).
TEMPLATE_CONTEXT = {
    "provider": "название провайдера",
    "client_area": "как провайдер называет панель клиента (`provider.client_area`)",
    "channel": "название канала",
}

#: Default wording of one draft line per field, in the customer's voice; `{field}` is the value. A policy may
#: override it per provider (`drafts.lines`) or per channel (`channels[].draft.lines`).
DRAFT_LINES = {
    "login": "Логин: {login}",
    "contract": "Номер договора: {contract}",
    "domain": "Домен: {domain}",
    "ip": "IP-адрес сервера: {ip}",
    "order": "Номер заказа: {order}",
    "invoice": "Номер счёта: {invoice}",
    "service": "Услуга: {service}",
    "email": "E-mail: {email}",
    "owner": "Владелец: {owner}",
    "ticket": "Номер заявки: {ticket}",
    "steps": "Что делаю по шагам: {steps}",
    "expected": "Ожидаю: {expected}",
    "actual": "Получаю: {actual}",
    "error_text": "Текст ошибки: {error_text}",
    "urls": "Где это видно: {urls}",
    "started_at": "Началось: {started_at}",
    "frequency": "Повторяется: {frequency}",
    "tried": "Что уже сделано: {tried}",
    "attachments": "Прикладываю: {attachments}",
    "want": "Что нужно: {want}",
    "procedure": "Прошу выполнить: {procedure}",
    "context": "Подробности: {context}",
    "reply_to": "Ответ, пожалуйста, продублируйте на адрес {reply_to}",
    "subject": "Тема: {subject}",
    "text": "{text}",
}

#: How the wizard shows a field: multi-line fields, e-mail fields and example values.
MULTILINE_FIELDS = frozenset({"text", "steps", "expected", "actual", "tried", "context", "want", "procedure"})
EMAIL_FIELDS = frozenset({"email", "reply_to"})
PLACEHOLDERS = {
    "login": "например, user123",
    "contract": "например, 123456/21",
    "domain": "example.ru",
    "ip": "203.0.113.10",
    "order": "#123456",
    "invoice": "например, 2024-015",
    "ticket": "например, 731902",
    "email": "name@example.ru",
    "reply_to": "name@example.ru",
    "started_at": "например, 21.11 около 14:30 МСК",
    "frequency": "например, каждый час",
    "error_text": "например, 550 5.1.1 User unknown",
    "urls": "https://example.ru/…",
}


def field_label(name: str) -> str:
    """Russian label of any draft field, for messages that point at it."""
    if name in IDENTIFIERS:
        return IDENTIFIERS[name]
    for fields in DESCRIPTION_FIELDS.values():
        if name in fields:
            return fields[name]
    return OTHER_FIELDS.get(name, name)


#: What the customer wants, as a signal separate from the topic (cues: `providers/_lexicon.yaml`, `intents`).
INTENTS = {
    "problem": "сообщение о проблеме: что-то не работает или работает не так",
    "question": "вопрос или консультация: до покупки, о возможностях и ценах, как что устроено",
    "status": "статус уже отправленной заявки: где ответ, на каком она этапе",
    "complaint": "претензия или жалоба на качество обслуживания",
    "admin_change": "административное изменение: владелец, реквизиты, документы, переоформление",
    "access": "доступ к аккаунту: восстановление входа, взлом, чужой вход",
}

#: How bad the situation is, from the words of the text (cues: `providers/_lexicon.yaml`, `severity`).
SEVERITY = {
    "outage": "полная недоступность: лежит, недоступен, down",
    "urgent": "срочно или критично: срочно, встала работа, asap, critical",
    "degraded": "работает, но плохо: медленно, тормозит, потери пакетов",
    "normal": "ничего из перечисленного",
}
