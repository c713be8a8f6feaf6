"""The provider policy schema: every key declared once, closed, with a description for writers."""

from __future__ import annotations

import re

from triage.availability import CHANNEL_STATUSES, DAY_NAMES  # noqa: E402
from triage.vocab import CHANNEL_KINDS, IDENTIFIERS, INTENTS, REQUEST_TYPES, SEVERITY, TEMPLATE_CONTEXT, TEMPLATE_FIELDS  # noqa: E402

from .schemalang import Bool, Date, Enum, Field, Id, List, Map, Obj, OneOrMany, Problem, Ref, Text, TimeZone, Url

# --- small reusable pieces --------------------------------------------------


class Template(Text):
    """One line of a draft with `{field}` placeholders; every placeholder must name a known field."""

    _BRACES = re.compile(r"\{([^{}]*)\}")

    def __init__(self, extra: dict[str, str] | None = None):
        super().__init__(what="a draft line with {field} placeholders", doc="шаблон строки черновика", multiline=False)
        self.known = {**TEMPLATE_FIELDS, **TEMPLATE_CONTEXT, **(extra or {})}

    def check(self, node, path, ctx):
        value = super().check(node, path, ctx)
        if value is None:
            return None
        for m in self._BRACES.finditer(value):
            if m.group(1) not in self.known:
                line, col = (node.start_mark.line + 1, node.start_mark.column + 1)
                if node.style is None and "\n" not in node.value:  # a plain one-line scalar: point at the name
                    col += m.start()
                ctx.problems.append(
                    Problem(
                        ctx.file,
                        line,
                        col,
                        path,
                        f"expected {{field}} to name a draft field "
                        f"({', '.join(sorted(self.known))}), got '{{{m.group(1)}}}'",
                    )
                )
                return None
        rest = self._BRACES.sub("", value)
        if "{" in rest or "}" in rest:
            ctx.expected(node, path, "{field} placeholders with both braces", repr(value))
            return None
        return value


TEMPLATE = Template()
FIELD_LINES = Map(Enum(TEMPLATE_FIELDS), TEMPLATE)

TEXT = Text()
LINE = Text(multiline=False)
TEXTS = List(TEXT)

criterion = Obj(
    "Критерий",
    "Одно условие «когда использовать канал» со страницы провайдера и её примеры.",
    [
        Field("text", TEXT, "Условие своими словами страницы, например «Для заявки нужен длительный анализ»."),
        Field("examples", TEXTS, "Примеры ситуаций, которые страница приводит для этого условия.", required=False),
    ],
)

identify = Obj(
    "Идентификация",
    "Что клиент указывает, чтобы его нашли в системе, когда пишет через этот канал.",
    [
        Field(
            "fields",
            List(Enum(IDENTIFIERS), min_items=1),
            "Какие данные провайдер просит указать (машинные имена; мастер показывает их как поля формы).",
        ),
        Field(
            "need",
            Enum({"one": "достаточно одного из перечисленного", "all": "нужно всё перечисленное"}),
            "Нужно ли указать всё перечисленное или достаточно одного.",
        ),
        Field(
            "note", TEXT, "Пояснение провайдера, например «Без этой информации ответ будет обобщенным».", required=False
        ),
    ],
)

channel_draft = Obj(
    "Черновик для канала",
    "Как звучат строки черновика для этого канала: от первого лица клиента. В строке можно подставить значение "
    "поля как `{domain}`; строка, у которой хоть одно поле пусто, в черновик не попадает.",
    [
        Field(
            "identification",
            List(TEMPLATE),
            "Строки идентификационного блока перед данными клиента, например «Пишу по аккаунту с логином {login}».",
            required=False,
        ),
        Field(
            "authorization",
            List(TEMPLATE),
            "Строки авторизационного блока: как клиент подтверждает права на этом канале, например "
            "«Пишу из Панели управления аккаунтом.».",
            required=False,
        ),
        Field(
            "critical",
            List(TEMPLATE),
            "Дополнительные строки авторизации для критичных действий (тема с `critical: true`): "
            "полная процедура подтверждения прав.",
            required=False,
        ),
        Field(
            "opening",
            Template({"who": "кто пишет: данные аккаунта одной фразой"}),
            "Первое сообщение в чате или мессенджере, например «Здравствуйте! {who} {text}».",
            required=False,
        ),
        Field(
            "lines",
            FIELD_LINES,
            "Как звучит строка каждого поля на этом канале (поле -> шаблон), например "
            '`error_text: "Ошибка: {error_text}"`.',
            required=False,
        ),
    ],
)

TIME = Text(
    r"(?:[01]?\d|2[0-3]):[0-5]\d|24:00",
    what='a time HH:MM in quotes, e.g. "09:00"',
    doc='время `"ЧЧ:ММ"`',
    multiline=False,
)

window = Obj(
    "Окно работы",
    "Дни и часы, когда канал работает (или работает для части вопросов).",
    [
        Field("days", List(Enum(DAY_NAMES), min_items=1), "Дни недели: `[mon, tue, wed, thu, fri]`."),
        Field("from", TIME, 'Начало, в кавычках: `"09:00"`.'),
        Field(
            "to",
            TIME,
            'Конец, в кавычках: `"18:00"` (`"24:00"` — до полуночи). Если конец раньше '
            'начала (`"18:00"`–`"09:00"`), окно идёт через полночь.',
        ),
        Field(
            "topics",
            List(Ref("topics", "id темы"), min_items=1),
            "Только для этих тем (например, вечером — только работа сервера). Без ключа — любой вопрос.",
            required=False,
        ),
        Field("scope", LINE, "Для каких вопросов окно, словами страницы (показывается клиенту).", required=False),
        Field(
            "response_time",
            LINE,
            "Время ответа в это окно словами страницы (например, «в течение 24 часов»).",
            required=False,
        ),
    ],
)

hours = Obj(
    "Часы работы",
    "Когда канал работает: по дням, часам и кругу вопросов. Только если страница это говорит.",
    [
        Field(
            "timezone",
            TimeZone(),
            'Часовой пояс страницы: смещение от UTC в кавычках (`"+03:00"` — Москва) или название пояса '
            "`Europe/Kyiv`: с названием учитывается переход на летнее время. Не нужен, только если все окна "
            "круглосуточные.",
            required=False,
        ),
        Field("windows", List(window, min_items=1), "Окна работы; канал открыт, если подходит хотя бы одно."),
    ],
)

channel = Obj(
    "Канал",
    "Один способ связаться с поддержкой (или настройка самообслуживания) и правила его использования.",
    [
        Field("id", Id(), "Машинное имя канала, уникальное в файле; на него ссылаются темы и правила."),
        Field("kind", Enum(CHANNEL_KINDS), "Вид канала из закрытого списка."),
        Field("title", LINE, "Название канала для клиента, например «Заявка из панели управления»."),
        Field("purpose", TEXT, "Для чего канал: одна фраза со страницы (попадает в сводную таблицу)."),
        Field(
            "use_when",
            List(criterion),
            "Когда использовать канал: условия со страницы, каждое с примерами.",
            required=False,
        ),
        Field("how_to", TEXTS, "Как воспользоваться каналом: шаги или путь в панели.", required=False),
        Field(
            "address",
            Text(r"\S+", what="an address without spaces", multiline=False),
            "Адрес канала: e-mail, телефон или ссылка. Только если страница его называет.",
            required=False,
        ),
        Field(
            "address_note",
            TEXT,
            "Пояснение, если адреса нет или он неизвестен (например, скрыт в копии страницы).",
            required=False,
        ),
        Field(
            "availability", LINE, "Когда канал доступен, если страница это говорит (например, 24/7).", required=False
        ),
        Field("response_time", LINE, "Время ответа словами страницы (например, «в течение 10 минут»).", required=False),
        Field(
            "auto_reply",
            LINE,
            "Через сколько приходит автоответ с номером заявки, словами страницы (это не время ответа поддержки).",
            required=False,
        ),
        Field(
            "authorized",
            Bool(),
            "Авторизован ли канал: может ли сотрудник по нему раскрывать конфиденциальные данные "
            "и выполнять действия в аккаунте. Не пишите ключ, если страница не уточняет.",
            required=False,
        ),
        Field(
            "status",
            Enum(CHANNEL_STATUSES),
            "Принимает ли канал обращения (по умолчанию `official`). `not_processed` мастер никогда не "
            "рекомендует, на странице он помечен «не принимаются».",
            required=False,
        ),
        Field("hours", hours, "Часы работы по дням и кругу вопросов, если страница их называет.", required=False),
        Field(
            "auto_close",
            LINE,
            "Правило автозакрытия словами страницы (например, «Заявка закрывается "
            "автоматически через 72 часа без ответа клиента»).",
            required=False,
        ),
        Field("authorization", TEXT, "Почему канал авторизован или нет, словами страницы."),
        Field("cannot", TEXTS, "Чего сотрудник не может сделать через этот канал.", required=False),
        Field("owner_confirmation", TEXT, "Как через этот канал подтверждаются права владельца.", required=False),
        Field("identify", identify, "Какие данные указать для идентификации.", required=False),
        Field("prepare", TEXTS, "Что подготовить перед обращением.", required=False),
        Field("include", TEXTS, "Что включить в сообщение.", required=False),
        Field(
            "after",
            TEXTS,
            "Что происходит после обращения: номер заявки, автоответ, статусы, как дополнить.",
            required=False,
        ),
        Field("notes", TEXTS, "Прочие правила и примечания страницы об этом канале.", required=False),
        Field("draft", channel_draft, "Формулировки черновика для этого канала.", required=False),
    ],
)

labelled = Obj(
    "Вариант",
    "Значение поля формы: машинное имя, название и когда его выбирать.",
    [
        Field("id", Id(), "Машинное имя (например, `technical`)."),
        Field("title", LINE, "Название, как в форме провайдера."),
        Field("use_for", TEXT, "Когда выбирать.", required=False),
    ],
)

priority_option = Obj(
    "Приоритет",
    "Уровень приоритета в форме заявки. На него ссылаются темы, правила и проверки.",
    [
        Field("id", Id(), "Машинное имя уровня (например, `normal`, `high`, `low`), уникальное в списке."),
        Field("title", LINE, "Название уровня, как в форме провайдера: его видит клиент в черновике."),
        Field("use_for", TEXT, "Когда выбирать.", required=False),
        Field(
            "default",
            Bool(),
            "`true` — уровень по умолчанию (черновик ставит его, если тема не указала другой). Не больше одного.",
            required=False,
        ),
    ],
)

form = Obj(
    "Форма заявки",
    "Поля формы заявки в панели провайдера.",
    [
        Field("channel", Ref("channels", "id канала вида `ticket`"), "Канал, к которому относится форма."),
        Field(
            "subject",
            Obj(
                "Тема",
                "Поле «Тема».",
                [
                    Field("hint", TEXT, "Как писать тему."),
                    Field("good", TEXTS, "Хорошие примеры со страницы.", required=False),
                    Field("bad", TEXTS, "Плохие примеры со страницы.", required=False),
                ],
            ),
            "Поле «Тема».",
            required=False,
        ),
        Field("service", TEXT, "Поле «Услуга»: как его заполнять.", required=False),
        Field("department_hint", TEXT, "Как выбирать отдел.", required=False),
        Field(
            "departments", List(labelled, unique_ids=True), "Отделы формы, если страница их называет.", required=False
        ),
        Field("priority_hint", TEXT, "Как выбирать приоритет.", required=False),
        Field("priorities", List(priority_option, unique_ids=True), "Уровни приоритета.", required=False),
        Field("message", TEXTS, "Что написать в поле сообщения (контрольный список).", required=False),
        Field("reply_to", TEXT, "Куда приходит ответ и как указать другой адрес.", required=False),
    ],
)

block = Obj(
    "Блок заявки",
    "Один из трёх блоков хорошей заявки так, как его формулирует провайдер.",
    [
        Field("title", LINE, "Название блока."),
        Field("text", TEXT, "Что должно быть в блоке, словами провайдера."),
        Field("items", TEXTS, "Перечень пунктов блока.", required=False),
        Field(
            "administrative",
            TEXTS,
            "Для административно-организационных вопросов: что указать вместо описания ошибки.",
            required=False,
        ),
    ],
)

request = Obj(
    "Как составить заявку",
    "Три блока хорошей заявки: идентификация, авторизация, описание.",
    [
        Field("identification", block, "Идентификационный блок: как клиента найдут в системе.", required=False),
        Field("authorization", block, "Авторизационный блок: как подтверждаются права владельца.", required=False),
        Field("description", block, "Описательный блок: что произошло или что нужно.", required=False),
    ],
)

rule = Obj(
    "Правило",
    "Общее правило обращения в поддержку.",
    [
        Field("title", LINE, "Короткая формулировка (например, «Одна проблема — одна заявка»)."),
        Field("text", TEXT, "Правило целиком словами страницы.", required=False),
    ],
)

option = Obj(
    "Ответ",
    "Вариант ответа на уточняющий вопрос.",
    [
        Field("value", Id(), "Машинное значение (`yes`, `no`, ...); используется в правилах и ссылках."),
        Field("label", LINE, "Текст варианта для клиента."),
    ],
)

inference = Obj(
    "Распознавание ответа",
    "Фразы, по которым ответ понятен из текста клиента без вопроса.",
    [
        Field("value", Id(), "Какой ответ следует из этих фраз."),
        Field(
            "phrases",
            List(TEXT, min_items=1),
            "Фразы; совпадение считается по основам слов, в любом порядке и форме. Фраза без «не» не "
            "срабатывает на слова с отрицанием («сервер лежит» не сработает на «сервер не лежит»).",
            required=False,
        ),
        Field(
            "severity",
            List(Enum({k: v for k, v in SEVERITY.items() if k != "normal"}), min_items=1),
            "Ответ следует и из серьёзности, которую показывает текст (слова из `severity` общего словаря, "
            "без отрицания), например `[outage]`.",
            required=False,
        ),
        Field(
            "intents",
            List(Enum(INTENTS), min_items=1),
            "Распознавать ответ, только если вид обращения один из этих (например, `[problem]`).",
            required=False,
        ),
    ],
)

question = Obj(
    "Вопрос",
    "Уточняющий вопрос мастера. Задаётся, только если ответ меняет рекомендацию (см. правила).",
    [
        Field("id", Id(), "Машинное имя вопроса, оно же ключ ответа в ссылке (`panel_access`)."),
        Field("text", LINE, "Вопрос клиенту."),
        Field("help", TEXT, "Пояснение под вопросом.", required=False),
        Field("options", List(option, min_items=2), "Варианты ответа."),
        Field("default", Id(), "Какой ответ предполагать, пока клиент не ответил.", required=False),
        Field("infer", List(inference), "Как понять ответ из текста клиента.", required=False),
    ],
)

routing_rule = Obj(
    "Правило маршрутизации",
    "Если ответы совпадают с `when` (и канал или тема подходят), правило меняет рекомендацию.",
    [
        Field(
            "when",
            Map(Id(), OneOrMany(Id())),
            "Условие: вопрос -> ответ (или список ответов). Все условия должны выполняться. "
            'Пишите ответы в кавычках: `panel_access: "no"`.',
            required=False,
        ),
        Field(
            "intents",
            List(Enum(INTENTS), min_items=1),
            "Правило действует, только если вид обращения (из текста клиента) один из этих.",
            required=False,
        ),
        Field(
            "severity",
            List(Enum({k: v for k, v in SEVERITY.items() if k != "normal"}), min_items=1),
            "Правило действует, только если текст показывает одну из этих степеней серьёзности.",
            required=False,
        ),
        Field(
            "channels",
            List(Ref("channels", "id канала"), min_items=1),
            "Правило действует, только если сейчас рекомендован один из этих каналов.",
            required=False,
        ),
        Field(
            "topics",
            List(Ref("topics", "id темы"), min_items=1),
            "Правило действует только для этих тем.",
            required=False,
        ),
        Field("channel", Ref("channels", "id канала"), "Какой канал рекомендовать вместо текущего.", required=False),
        Field(
            "priority",
            Ref("priorities", "id уровня из `form.priorities`"),
            "Какой приоритет поставить.",
            required=False,
        ),
        Field("department", Id(), "Какой отдел поставить (id из формы).", required=False),
        Field("reason", TEXT, "Почему, словами страницы: клиент увидит это как причину."),
    ],
)

expectation = Obj(
    "Ожидание",
    "Что должен рекомендовать мастер.",
    [
        Field("channel", Ref("channels", "id канала"), "Ожидаемый канал.", required=False),
        Field("kind", OneOrMany(Enum(CHANNEL_KINDS)), "Ожидаемый вид канала (любой из списка).", required=False),
        Field("department", Id(), "Ожидаемый отдел.", required=False),
        Field("priority", Ref("priorities", "id уровня из `form.priorities`"), "Ожидаемый приоритет.", required=False),
    ],
)

policy_test = Obj(
    "Проверка темы",
    "Пример фразы клиента и ожидаемый результат; `python build.py check` прогоняет движок на нём.",
    [
        Field("text", TEXT, "Что пишет клиент."),
        Field("answers", Map(Id(), Id()), 'Ответы на вопросы (`panel_access: "no"`).', required=False),
        Field(
            "at",
            Text(
                r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2})?(?:Z|[+-]\d{2}:\d{2})",
                what='a date and time with offset in quotes, e.g. "2026-12-01T19:30+03:00"',
                doc='дата и время `"ГГГГ-ММ-ДДTЧЧ:ММ+03:00"`',
                multiline=False,
            ),
            "Время клиента для проверки часов работы (без ключа — часы не учитываются).",
            required=False,
        ),
        Field("expect", expectation, "Ожидаемая рекомендация."),
    ],
)

topic = Obj(
    "Тема",
    "Ситуация клиента со страницы провайдера и канал, который страница для неё рекомендует.",
    [
        Field("id", Id(), "Машинное имя темы, уникальное в файле."),
        Field("title", LINE, "Название темы для клиента (подсказка в мастере)."),
        Field("channel", Ref("channels", "id канала"), "Рекомендуемый канал."),
        Field("reason", TEXT, "Почему этот канал, словами страницы (цитата критерия)."),
        Field(
            "also",
            List(Ref("channels", "id канала"), min_items=1),
            "Другие каналы, которые страница тоже называет для этой ситуации.",
            required=False,
        ),
        Field("type", Enum(REQUEST_TYPES), "Вид обращения: от него зависит описательный блок черновика."),
        Field(
            "examples",
            List(TEXT, min_items=1),
            "Как клиенты описывают ситуацию: примеры со страницы и типичные формулировки.",
        ),
        Field("keywords", TEXTS, "Отдельные слова и синонимы, характерные для темы.", required=False),
        Field(
            "intents",
            List(Enum(INTENTS), min_items=1),
            "Какие виды обращения подходят теме. Если вид обращения из текста не в списке, тема весит меньше "
            "(например, вопрос «можно ли поставить Windows?» — не тема «Проблема с сервером»). "
            "Без списка тема подходит любому виду.",
            required=False,
        ),
        Field(
            "severity",
            List(Enum({k: v for k, v in SEVERITY.items() if k != "normal"}), min_items=1),
            "Тема только для такой серьёзности (например, `[outage]` для полной недоступности): если текст её не "
            "показывает, тема весит меньше.",
            required=False,
        ),
        Field("department", Id(), "Отдел формы заявки (id из `form.departments`).", required=False),
        Field(
            "priority",
            Ref("priorities", "id уровня из `form.priorities`"),
            "Приоритет формы заявки (id уровня из `form.priorities`).",
            required=False,
        ),
        Field(
            "out_of_scope",
            Ref("out_of_scope", "id из `out_of_scope`"),
            "Если поддержка этим не занимается: id из `out_of_scope` (мастер скажет, куда обратиться).",
            required=False,
        ),
        Field(
            "subject",
            LINE,
            "Тема заявки для этой ситуации: название проблемы, к которому черновик добавит домен, IP и код ошибки "
            "клиента. Используется, только если не называет того, о чём клиент не писал (иначе тема — из слов "
            "клиента).",
            required=False,
        ),
        Field(
            "critical",
            Bool(),
            "Критичное действие (смена владельца, конфиденциальные данные, удаление): черновик добавляет полную "
            "процедуру подтверждения прав (`draft.critical` канала).",
            required=False,
        ),
        Field("tests", List(policy_test), "Проверки маршрутизации для этой темы.", required=False),
    ],
)

provider = Obj(
    "Провайдер",
    "Кто провайдер и откуда взяты правила.",
    [
        Field("id", Id(), "Машинное имя; совпадает с именем файла `providers/<id>.yaml`."),
        Field("name", LINE, "Название провайдера."),
        Field("site", Url(), "Сайт провайдера, если известен.", required=False),
        Field(
            "client_area",
            LINE,
            "Как провайдер называет панель клиента (панель управления, личный кабинет, клиентская область).",
        ),
        Field(
            "sources",
            List(
                Obj(
                    "Источник",
                    "Страница провайдера, с которой переписаны правила.",
                    [
                        Field("title", LINE, "Заголовок страницы."),
                        Field("url", Url(), "Адрес страницы, если известен (нужен `url` или `file`).", required=False),
                        Field(
                            "file",
                            LINE,
                            "Файл копии страницы в `../shared/seeds/` (проверяется, если папка есть).",
                            required=False,
                        ),
                        Field("published", Date(), "Дата публикации, если указана на странице.", required=False),
                        Field(
                            "note",
                            TEXT,
                            "Замечания о копии страницы, только для авторов: на сайт и в мастер не попадают.",
                            required=False,
                        ),
                    ],
                ),
                min_items=1,
            ),
            "Источники правил.",
        ),
        Field("reviewed", Date(), "Когда правила последний раз сверены со страницей."),
        Field("intro", TEXT, "Вступление: общие слова страницы о способах связи."),
        Field(
            "when_to_contact",
            TEXTS,
            "Когда обращаться в поддержку вообще, если страница это перечисляет.",
            required=False,
        ),
    ],
)

routing = Obj(
    "Маршрутизация",
    "Что рекомендовать, если тема не ясна, и правила, меняющие рекомендацию по ответам.",
    [
        Field(
            "default_channel", Ref("channels", "id канала"), "Канал, если тема не распознана или клиент сомневается."
        ),
        Field("default_reason", TEXT, "Почему этот канал, словами страницы."),
        Field("rules", List(routing_rule), "Правила по ответам на вопросы, по порядку.", required=False),
        Field(
            "intent_topics",
            Map(Enum(INTENTS), Ref("topics", "id темы")),
            "Тема для вида обращения, когда ни одна тема этого вида не подходит по словам: например, "
            "`question: general_question` — вопросы до покупки идут туда, куда их направляет страница.",
            required=False,
        ),
        Field(
            "intent_default",
            List(Enum(INTENTS), min_items=1),
            "Виды обращения без своей темы: если текст показывает такой вид, а темы этого вида нет или она "
            "подходит слабо, мастер рекомендует канал по умолчанию, а не случайную тему (например, `[complaint]`).",
            required=False,
        ),
    ],
)

synonym_group = Obj(
    "Группа синонимов",
    "Слова и выражения, которые клиенты используют в одном значении.",
    [
        Field("id", Id(), "Машинное имя понятия (например, `mail`)."),
        Field("words", List(TEXT, min_items=2), "Слова и выражения; формы слов учитываются автоматически."),
    ],
)

out_of_scope_item = Obj(
    "Вне поддержки",
    "Работа, которой поддержка не занимается, и куда обратиться вместо неё.",
    [
        Field("id", Id(), "Машинное имя; на него ссылаются темы (`out_of_scope: scripts`)."),
        Field("title", LINE, "Коротко, например «Установка скриптов и обучение»."),
        Field("text", TEXT, "Что именно поддержка не делает, словами страницы."),
        Field("instead", TEXT, "Куда обратиться вместо этого (разработчик, платная услуга, инструкции)."),
        Field(
            "url", Url(), "Ссылка на то место, куда обратиться вместо поддержки, если страница её даёт.", required=False
        ),
    ],
)

POLICY = Obj(
    "Политика провайдера",
    "Правила обращения в поддержку одного провайдера: файл `providers/<id>.yaml`.",
    [
        Field("provider", provider, "Кто провайдер и откуда взяты правила."),
        Field("channels", List(channel, min_items=1, unique_ids=True), "Каналы связи."),
        Field("form", form, "Форма заявки в панели, если провайдер её описывает.", required=False),
        Field(
            "request",
            request,
            "Как составить заявку: три блока. Если страница их не даёт, ключ можно "
            "опустить: черновик возьмёт общие названия блоков.",
            required=False,
        ),
        Field("rules", List(rule), "Общие правила обращения.", required=False),
        Field("questions", List(question, unique_ids=True), "Уточняющие вопросы мастера.", required=False),
        Field("routing", routing, "Рекомендация по умолчанию и правила по ответам."),
        Field("topics", List(topic, min_items=1, unique_ids=True), "Ситуации клиентов и каналы для них."),
        Field(
            "synonyms",
            List(synonym_group, unique_ids=True),
            "Синонимы, особые для этого провайдера (общие — в `providers/_lexicon.yaml`).",
            required=False,
        ),
        Field(
            "out_of_scope",
            List(out_of_scope_item, min_items=1, unique_ids=True),
            "Чем поддержка не занимается и куда обратиться вместо неё.",
            required=False,
        ),
        Field(
            "notes",
            TEXTS,
            "Заметки для авторов правил (откуда что взято, что уточнить). На сайт и в мастер не попадают.",
            required=False,
        ),
        Field(
            "drafts",
            Obj(
                "Черновики",
                "Формулировки черновиков, общие для всех каналов провайдера.",
                [
                    Field(
                        "lines",
                        FIELD_LINES,
                        "Как звучит строка каждого поля (поле -> шаблон с `{поле}`), например "
                        '`started_at: "Началось: {started_at}"`.',
                    )
                ],
            ),
            "Формулировки черновиков для всех каналов (канал может переопределить их в `draft`).",
            required=False,
        ),
    ],
)

intent_cues = Obj(
    "Вид обращения",
    "Как по словам клиента понять, чего он хочет: сообщить о проблеме, спросить, узнать статус заявки...",
    [
        Field("id", Enum(INTENTS), "Вид обращения из закрытого списка."),
        Field("title", LINE, "Название для клиента (мастер показывает его в «Так мы поняли ваше описание»)."),
        Field(
            "phrases",
            TEXTS,
            "Фразы-признаки; каждая весит столько, сколько в ней слов. Отрицание "
            "учитывается: фраза без «не» не срабатывает на слова с «не».",
            required=False,
        ),
        Field(
            "concepts",
            List(Id()),
            "Понятия из `synonyms` (id групп): каждое слово такого понятия — признак весом 1.",
            required=False,
        ),
        Field(
            "pairs",
            List(List(Id(), min_items=2)),
            "Сочетания понятий из `synonyms`, которые вместе (в любом "
            "месте текста) показывают вид обращения, например `[request, status]` — заявка и её статус; "
            "каждое весит столько, сколько в нём понятий.",
            required=False,
        ),
        Field(
            "suppresses",
            List(Enum(INTENTS), min_items=1),
            "Виды обращения, которые этот вид перекрывает, "
            "когда он есть в тексте (жалоба на заявку — жалоба, а не вопрос о статусе).",
            required=False,
        ),
        Field(
            "tokens",
            TEXTS,
            "Служебные слова-признаки, которые иначе не учитываются («можно», «какие», "
            "«сколько»): каждое весит 0,5, точная форма слова.",
            required=False,
        ),
        Field(
            "scope",
            TEXTS,
            "Начала вопроса «да или нет» («был ли», «есть ли», «was there»), точная форма слов: в таком "
            "вопросе понятия других видов обращения не считаются (спросить, был ли сбой, — не сообщить о сбое).",
            required=False,
        ),
        Field(
            "general",
            TEXTS,
            "Обращение к провайдеру в вопросе («у вас», «do you»), точная форма слов: вопрос с ним и без "
            "других признаков — общий вопрос об услугах провайдера, а не о случае клиента; темы вида «вопрос» "
            "для него важнее тем о проблеме, счёте или аккаунте.",
            required=False,
        ),
        Field(
            "own",
            TEXTS,
            "Слова о собственном случае клиента («мой», «наш», «продление», «my»), точная форма: вопрос с ними "
            "не общий, даже если в нём есть обращение к провайдеру.",
            required=False,
        ),
    ],
)

severity_cues = Obj(
    "Серьёзность",
    "Слова, по которым видно, насколько всё плохо. Слова с отрицанием («не лежит», «не срочно») не считаются.",
    [
        Field("outage", TEXTS, "Полная недоступность: «лежит», «недоступен», «down».", required=False),
        Field("urgent", TEXTS, "Срочно или критично: «срочно», «встала работа», «asap».", required=False),
        Field("degraded", TEXTS, "Работает, но плохо (не авария): «медленно», «потери пакетов».", required=False),
    ],
)

LEXICON = Obj(
    "Общий словарь синонимов",
    "Файл `providers/_lexicon.yaml`: понятия и слова, общие для всех провайдеров.",
    [
        Field("synonyms", List(synonym_group, min_items=1, unique_ids=True), "Группы синонимов."),
        Field(
            "intents",
            List(intent_cues, unique_ids=True),
            "Виды обращения и их признаки; при равенстве побеждает вид, записанный выше.",
            required=False,
        ),
        Field("severity", severity_cues, "Признаки серьёзности ситуации.", required=False),
    ],
)
