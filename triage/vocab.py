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
