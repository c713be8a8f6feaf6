"""The provider policy schema: every key declared once, closed, with a description for writers."""

from __future__ import annotations

from .schemalang import (Bool, Date, Enum, Field, Id, List, Map, Obj, OneOrMany, Ref,
                         Text, Url)

from triage.vocab import CHANNEL_KINDS, IDENTIFIERS, PRIORITIES, REQUEST_TYPES  # noqa: E402

# --- small reusable pieces --------------------------------------------------

TEXT = Text()
LINE = Text(multiline=False)
TEXTS = List(TEXT)

criterion = Obj(
    "Критерий",
    "Одно условие «когда использовать канал» со страницы провайдера и её примеры.",
    [
        Field("text", TEXT, "Условие своими словами страницы, например «Для заявки нужен длительный анализ»."),
        Field("examples", TEXTS, "Примеры ситуаций, которые страница приводит для этого условия.",
              required=False),
    ],
)

identify = Obj(
    "Идентификация",
    "Что клиент указывает, чтобы его нашли в системе, когда пишет через этот канал.",
    [
        Field("fields", List(Enum(IDENTIFIERS), min_items=1),
              "Какие данные провайдер просит указать (машинные имена; мастер показывает их как поля формы)."),
        Field("need", Enum({"one": "достаточно одного из перечисленного", "all": "нужно всё перечисленное"}),
              "Нужно ли указать всё перечисленное или достаточно одного."),
        Field("note", TEXT, "Пояснение провайдера, например «Без этой информации ответ будет обобщенным».",
              required=False),
    ],
)

channel = Obj(
    "Канал",
    "Один способ связаться с поддержкой (или настройка самообслуживания) и правила его использования.",
    [
        Field("id", Id(), "Машинное имя канала, уникальное в файле; на него ссылаются темы и правила.",
              example="phone"),
        Field("kind", Enum(CHANNEL_KINDS), "Вид канала из закрытого списка."),
        Field("title", LINE, "Название канала для клиента, например «Заявка из панели управления»."),
        Field("purpose", TEXT, "Для чего канал: одна фраза со страницы (попадает в сводную таблицу)."),
        Field("use_when", List(criterion), "Когда использовать канал: условия со страницы, каждое с примерами.",
              required=False),
        Field("how_to", TEXTS, "Как воспользоваться каналом: шаги или путь в панели.", required=False),
        Field("address", Text(r"\S+", what="an address without spaces", multiline=False),
              "Адрес канала: e-mail, телефон или ссылка. Только если страница его называет.",
              required=False),
        Field("address_note", TEXT,
              "Пояснение, если адреса нет или он неизвестен (например, скрыт в копии страницы).",
              required=False),
        Field("availability", LINE, "Когда канал доступен, если страница это говорит (например, 24/7).",
              required=False),
        Field("response_time", LINE, "Время ответа словами страницы (например, «в течение 10 минут»).",
              required=False),
        Field("auto_reply", LINE, "Через сколько приходит автоответ с номером заявки, словами страницы "
              "(это не время ответа поддержки).", required=False),
        Field("authorized", Bool(),
              "Авторизован ли канал: может ли сотрудник по нему раскрывать конфиденциальные данные "
              "и выполнять действия в аккаунте."),
        Field("authorization", TEXT, "Почему канал авторизован или нет, словами страницы."),
        Field("cannot", TEXTS, "Чего сотрудник не может сделать через этот канал.", required=False),
        Field("owner_confirmation", TEXT, "Как через этот канал подтверждаются права владельца.",
              required=False),
        Field("identify", identify, "Какие данные указать для идентификации.", required=False),
        Field("prepare", TEXTS, "Что подготовить перед обращением.", required=False),
        Field("include", TEXTS, "Что включить в сообщение.", required=False),
        Field("after", TEXTS, "Что происходит после обращения: номер заявки, автоответ, статусы, "
              "как дополнить.", required=False),
        Field("notes", TEXTS, "Прочие правила и примечания страницы об этом канале.", required=False),
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
    "Уровень приоритета в форме заявки.",
    [
        Field("id", Enum(PRIORITIES), "Машинное имя приоритета."),
        Field("title", LINE, "Название, как в форме провайдера."),
        Field("use_for", TEXT, "Когда выбирать.", required=False),
    ],
)

form = Obj(
    "Форма заявки",
    "Поля формы заявки в панели провайдера.",
    [
        Field("channel", Ref("channels", "id канала вида `ticket`"), "Канал, к которому относится форма."),
        Field("subject", Obj("Тема", "Поле «Тема».", [
            Field("hint", TEXT, "Как писать тему."),
            Field("good", TEXTS, "Хорошие примеры со страницы.", required=False),
            Field("bad", TEXTS, "Плохие примеры со страницы.", required=False),
        ]), "Поле «Тема».", required=False),
        Field("service", TEXT, "Поле «Услуга»: как его заполнять.", required=False),
        Field("department_hint", TEXT, "Как выбирать отдел.", required=False),
        Field("departments", List(labelled, unique_ids=True), "Отделы формы, если страница их называет.",
              required=False),
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
        Field("administrative", TEXTS,
              "Для административно-организационных вопросов: что указать вместо описания ошибки.",
              required=False),
    ],
)

request = Obj(
    "Как составить заявку",
    "Три блока хорошей заявки: идентификация, авторизация, описание.",
    [
        Field("identification", block, "Идентификационный блок: как клиента найдут в системе."),
        Field("authorization", block, "Авторизационный блок: как подтверждаются права владельца."),
        Field("description", block, "Описательный блок: что произошло или что нужно."),
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
        Field("phrases", List(TEXT, min_items=1),
              "Фразы; совпадение считается по основам слов, в любом порядке и форме."),
    ],
)

question = Obj(
    "Вопрос",
    "Уточняющий вопрос мастера. Задаётся, только если ответ меняет рекомендацию (см. правила).",
    [
        Field("id", Id(), "Машинное имя вопроса, оно же ключ ответа в ссылке (`panel_access`).",
              example="panel_access"),
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
        Field("when", Map(Id(), OneOrMany(Id())),
              "Условие: вопрос -> ответ (или список ответов). Все условия должны выполняться. "
              "Пишите ответы в кавычках: `panel_access: \"no\"`."),
        Field("channels", List(Ref("channels", "id канала"), min_items=1),
              "Правило действует, только если сейчас рекомендован один из этих каналов.", required=False),
        Field("topics", List(Ref("topics", "id темы"), min_items=1),
              "Правило действует только для этих тем.", required=False),
        Field("channel", Ref("channels", "id канала"), "Какой канал рекомендовать вместо текущего.",
              required=False),
        Field("priority", Enum(PRIORITIES), "Какой приоритет поставить.", required=False),
        Field("department", Id(), "Какой отдел поставить (id из формы).", required=False),
        Field("reason", TEXT, "Почему, словами страницы: клиент увидит это как причину."),
    ],
)

expectation = Obj(
    "Ожидание",
    "Что должен рекомендовать мастер.",
    [
        Field("channel", Ref("channels", "id канала"), "Ожидаемый канал.", required=False),
        Field("kind", OneOrMany(Enum(CHANNEL_KINDS)), "Ожидаемый вид канала (любой из списка).",
              required=False),
        Field("department", Id(), "Ожидаемый отдел.", required=False),
        Field("priority", Enum(PRIORITIES), "Ожидаемый приоритет.", required=False),
    ],
)

policy_test = Obj(
    "Проверка темы",
    "Пример фразы клиента и ожидаемый результат; `python build.py check` прогоняет движок на нём.",
    [
        Field("text", TEXT, "Что пишет клиент."),
        Field("answers", Map(Id(), Id()), "Ответы на вопросы (`panel_access: \"no\"`).", required=False),
        Field("expect", expectation, "Ожидаемая рекомендация."),
    ],
)

topic = Obj(
    "Тема",
    "Ситуация клиента со страницы провайдера и канал, который страница для неё рекомендует.",
    [
        Field("id", Id(), "Машинное имя темы, уникальное в файле.", example="mail_not_working"),
        Field("title", LINE, "Название темы для клиента (подсказка в мастере)."),
        Field("channel", Ref("channels", "id канала"), "Рекомендуемый канал."),
        Field("reason", TEXT, "Почему этот канал, словами страницы (цитата критерия)."),
        Field("also", List(Ref("channels", "id канала"), min_items=1),
              "Другие каналы, которые страница тоже называет для этой ситуации.", required=False),
        Field("type", Enum(REQUEST_TYPES), "Вид обращения: от него зависит описательный блок черновика."),
        Field("examples", List(TEXT, min_items=1),
              "Как клиенты описывают ситуацию: примеры со страницы и типичные формулировки."),
        Field("keywords", TEXTS, "Отдельные слова и синонимы, характерные для темы.", required=False),
        Field("department", Id(), "Отдел формы заявки (id из `form.departments`).", required=False),
        Field("priority", Enum(PRIORITIES), "Приоритет формы заявки.", required=False),
        Field("subject", LINE, "Образец темы заявки (конкретный, не «Помогите»).", required=False),
        Field("tests", List(policy_test), "Проверки маршрутизации для этой темы.", required=False),
    ],
)

provider = Obj(
    "Провайдер",
    "Кто провайдер и откуда взяты правила.",
    [
        Field("id", Id(), "Машинное имя; совпадает с именем файла `providers/<id>.yaml`.",
              example="spaceweb"),
        Field("name", LINE, "Название провайдера."),
        Field("site", Url(), "Сайт провайдера, если известен.", required=False),
        Field("client_area", LINE, "Как провайдер называет панель клиента (панель управления, "
              "личный кабинет, клиентская область)."),
        Field("sources", List(Obj("Источник", "Страница провайдера, с которой переписаны правила.", [
            Field("title", LINE, "Заголовок страницы."),
            Field("url", Url(), "Адрес страницы, если известен.", required=False),
            Field("file", LINE, "Файл копии страницы в `shared/seeds`."),
            Field("published", Date(), "Дата публикации, если указана на странице.", required=False),
            Field("note", TEXT, "Замечания о копии страницы.", required=False),
        ]), min_items=1), "Источники правил."),
        Field("reviewed", Date(), "Когда правила последний раз сверены со страницей."),
        Field("intro", TEXT, "Вступление: общие слова страницы о способах связи."),
        Field("when_to_contact", TEXTS, "Когда обращаться в поддержку вообще, если страница это перечисляет.",
              required=False),
    ],
)

routing = Obj(
    "Маршрутизация",
    "Что рекомендовать, если тема не ясна, и правила, меняющие рекомендацию по ответам.",
    [
        Field("default_channel", Ref("channels", "id канала"),
              "Канал, если тема не распознана или клиент сомневается."),
        Field("default_reason", TEXT, "Почему этот канал, словами страницы."),
        Field("rules", List(routing_rule), "Правила по ответам на вопросы, по порядку.", required=False),
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

POLICY = Obj(
    "Политика провайдера",
    "Правила обращения в поддержку одного провайдера: файл `providers/<id>.yaml`.",
    [
        Field("provider", provider, "Кто провайдер и откуда взяты правила."),
        Field("channels", List(channel, min_items=1, unique_ids=True), "Каналы связи."),
        Field("form", form, "Форма заявки в панели, если провайдер её описывает.", required=False),
        Field("request", request, "Как составить заявку: три блока."),
        Field("rules", List(rule), "Общие правила обращения.", required=False),
        Field("questions", List(question, unique_ids=True), "Уточняющие вопросы мастера.", required=False),
        Field("routing", routing, "Рекомендация по умолчанию и правила по ответам."),
        Field("topics", List(topic, min_items=1, unique_ids=True), "Ситуации клиентов и каналы для них."),
        Field("synonyms", List(synonym_group, unique_ids=True),
              "Синонимы, особые для этого провайдера (общие — в `providers/_lexicon.yaml`).",
              required=False),
    ],
)

LEXICON = Obj(
    "Общий словарь синонимов",
    "Файл `providers/_lexicon.yaml`: понятия и слова, общие для всех провайдеров.",
    [
        Field("synonyms", List(synonym_group, min_items=1, unique_ids=True), "Группы синонимов."),
    ],
)
