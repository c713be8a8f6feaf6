"""`python build.py new <id>`: a commented skeleton policy that passes `check` once its TODOs are filled."""

from __future__ import annotations

import datetime
import pathlib
import re
import sys

from .extra_checks import PLACEHOLDER
from .schemalang import SLUG

#: Lines of an optional example start with "# " (uncomment to use); explanations start with "## ".
SKELETON = """\
# yaml-language-server: $schema=../schema/policy.schema.json
## Политика провайдера «{id}»: заготовка, созданная командой `python build.py new {id}`.
## 1. Замените каждый {todo} текстом со страницы провайдера. Ничего не придумывайте: чего страница
##    не говорит (телефон, адрес, часы работы), того в файле быть не должно.
## 2. Необязательные блоки закомментированы знаком «# »: раскомментируйте те, о которых говорит
##    страница, и замените примеры её словами. Строки с «## » — пояснения, их можно удалить.
## 3. Проверка: python build.py check; предпросмотр: python build.py serve.
provider:
  id: {id}
  name: "{todo}: название провайдера"
  # site: https://example.ru
  client_area: "{todo}: как провайдер называет панель клиента (панель управления, личный кабинет)"
  sources:
    - title: "{todo}: заголовок страницы провайдера"
      ## Откуда правила: адрес страницы (url) и/или файл её копии в ../shared/seeds/ (file).
      url: "{todo}: https://адрес-страницы"
      # file: 000_0000000000000000.txt
      # published: 2026-01-15
      # note: Замечания о копии страницы (только для авторов).
  reviewed: {today}
  intro: "{todo}: общие слова страницы о способах связи"
  # when_to_contact:
  #   - Когда обращаться в поддержку, если страница это перечисляет.

channels:
  - id: ticket
    kind: ticket
    title: "{todo}: название канала, например «Заявка из панели управления»"
    purpose: "{todo}: для чего канал, одной фразой со страницы"
    authorization: "{todo}: почему канал авторизован или нет, словами страницы"
    ## Не пишите authorized, если страница не уточняет (на странице будет «страница не уточняет»).
    # authorized: true
    ## official — принимает обращения; advisory — только консультации; not_processed — не принимаются.
    # status: official
    # use_when:
    #   - text: Условие «когда использовать» со страницы.
    #     examples: [пример ситуации со страницы]
    # how_to:
    #   - Шаг или путь в панели.
    # address: https://example.ru/support
    # address_note: Пояснение для клиента, если адреса нет.
    # availability: 24/7
    # response_time: в течение часа
    ## Часы работы — только если страница их называет. Время — в кавычках.
    # hours:
    #   timezone: "+03:00"   # или название пояса: Europe/Kyiv (с переходом на летнее время)
    #   windows:
    #     - {{days: [mon, tue, wed, thu, fri], from: "09:00", to: "18:00"}}
    #     - days: [sat, sun]
    #       from: "10:00"
    #       to: "16:00"
    #       topics: [example_topic]
    #       scope: только если сайт не работает
    #       response_time: в течение 48 часов
    # auto_close: Заявка закрывается автоматически через 72 часа без ответа клиента.
    # cannot:
    #   - Чего сотрудник не может сделать через этот канал.
    # owner_confirmation: Как подтверждаются права владельца.
    # identify:
    #   fields: [login, domain]
    #   need: one
    #   note: Пояснение провайдера.
    # prepare:
    #   - Что подготовить перед обращением.
    # include:
    #   - Что включить в сообщение.
    # after:
    #   - Что происходит после обращения.
    # notes:
    #   - Прочие правила страницы об этом канале (видны клиенту).

# form:
#   channel: ticket
#   subject:
#     hint: Как писать тему.
#     good: [Не открывается сайт example.ru]
#     bad: [Помогите]
#   service: Как заполнять поле «Услуга».
#   department_hint: Как выбирать отдел.
#   departments:
#     - id: technical
#       title: Техническая поддержка
#       use_for: Когда выбирать.
#   priority_hint: Как выбирать приоритет.
#   priorities:
#     - id: normal
#       title: Обычный
#       default: true
#     - id: high
#       title: Высокий
#       use_for: Когда выбирать.
#   message:
#     - Что написать в поле сообщения.
#   reply_to: Куда приходит ответ.

## Три блока заявки. Если страница их не даёт, оставьте блок закомментированным.
# request:
#   identification:
#     title: Идентификация
#     text: Как клиента найдут в системе.
#     items: [логин, домен]
#   authorization:
#     title: Авторизация
#     text: Как подтверждаются права владельца.
#   description:
#     title: Описание
#     text: Что произошло или что нужно.
#     administrative: [что получить или изменить]

# rules:
#   - title: Одна проблема — одна заявка
#     text: Правило целиком словами страницы.

# questions:
#   - id: panel_access
#     text: Можете ли вы войти в панель управления?
#     help: Пояснение под вопросом.
#     options:
#       - {{value: "yes", label: "Да"}}
#       - {{value: "no", label: "Нет"}}
#     default: "yes"
#     infer:
#       - value: "no"
#         phrases: [не могу войти в панель]

routing:
  default_channel: ticket
  default_reason: "{todo}: почему этот канал, если тема не ясна, словами страницы"
  # rules:
  #   - when: {{panel_access: "no"}}
  #     topics: [example_topic]
  #     priority: high
  #     reason: Почему, словами страницы.

topics:
  ## id темы: латиница, цифры и _, например site_down.
  - id: example_topic
    title: "{todo}: ситуация клиента"
    channel: ticket
    reason: "{todo}: почему этот канал, цитата со страницы"
    type: problem
    examples:
      - "{todo}: как клиент описывает ситуацию"
    # also: [ticket]
    # keywords: [слово]
    # department: technical
    # priority: normal
    # subject: Образец темы заявки
    ## Если поддержка этим не занимается — id из out_of_scope ниже.
    # out_of_scope: scripts
    tests:
      ## Фраза клиента и ожидаемый канал; at — время клиента для проверки часов работы.
      - text: "{todo}: как клиент описывает ситуацию"
        expect: {{channel: ticket}}
      # - text: Фраза клиента вечером.
      #   at: "2026-12-01T19:30+03:00"
      #   expect: {{channel: ticket}}

# out_of_scope:
#   - id: scripts
#     title: Установка скриптов и обучение
#     text: Что поддержка не делает, словами страницы.
#     instead: Куда обратиться вместо неё.
#     url: https://example.ru/help

# synonyms:
#   - id: site
#     words: [сайт, веб-сайт]

## Заметки для авторов: на сайт и в мастер не попадают.
# notes:
#   - Откуда что взято и что уточнить.
"""


class ScaffoldError(Exception):
    """A clear Russian message for the writer (exit status 2)."""


def skeleton(pid: str, today: datetime.date | None = None) -> str:
    return SKELETON.format(id=pid, todo=PLACEHOLDER, today=(today or datetime.date.today()).isoformat())


def create(providers: pathlib.Path, pid: str | None) -> pathlib.Path:
    """Write providers/<pid>.yaml; refuses a bad or existing id."""
    if not pid:
        raise ScaffoldError("укажите имя провайдера: python build.py new <id>, например python build.py new my_hoster")
    if not re.fullmatch(SLUG, pid):
        raise ScaffoldError(
            f"имя «{pid}» не подходит: нужны строчные латинские буквы, цифры и «_», первой — "
            "буква (например, my_hoster). Это имя станет именем файла и provider.id."
        )
    path = providers / f"{pid}.yaml"
    if path.exists():
        raise ScaffoldError(
            f"провайдер «{pid}» уже есть: {providers.name}/{pid}.yaml. Выберите другое имя или правьте этот файл."
        )
    providers.mkdir(parents=True, exist_ok=True)
    with open(path, "x", encoding="utf-8") as out:  # "x": never overwrite, even in a race
        out.write(skeleton(pid))
    return path


def new_command(providers: pathlib.Path, pid: str | None) -> int:
    try:
        path = create(providers, pid)
    except ScaffoldError as exc:
        print(f"build.py new: {exc}", file=sys.stderr)
        return 2
    except OSError as exc:
        print(f"build.py new: не удалось записать файл: {exc.strerror or exc}", file=sys.stderr)
        return 2
    print(
        f"Создан {providers.name}/{path.name}: замените все {PLACEHOLDER} текстами со страницы провайдера, "
        "затем запустите python build.py check."
    )
    return 0
