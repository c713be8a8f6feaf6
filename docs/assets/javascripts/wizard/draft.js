// The draft panel of the result step: the draft text, the ticket form's fields, and the actions
// (copy, download, open in the mail program).
import { el } from "./dom.js";
import { copyText, downloadText, fileName } from "./actions.js";

/** @typedef {import("./protocol.js").TriageResult} TriageResult */

/** @type {Record<string, string>} */
const DRAFT_TITLES = {
  ticket: "Черновик заявки",
  email: "Черновик письма",
  phone: "Сценарий звонка",
  chat: "Первое сообщение в чат",
  messenger: "Первое сообщение в мессенджере",
  self_service: "Памятка: как сделать самостоятельно",
};

/** @type {Record<string, (area: string) => string>} */
const DRAFT_HINTS = {
  ticket: (area) => `Скопируйте текст и вставьте его в форму заявки (${area}). ` +
    "Тему, отдел и приоритет выберите такими, как указано в начале черновика.",
  email: () => "Скопируйте текст в письмо или откройте его сразу в почтовой программе.",
  phone: () => "Держите сценарий перед глазами во время звонка: что подготовить, " +
    "что сотрудник не сможет сделать по телефону и что сказать.",
  chat: () => "Скопируйте первое сообщение и отправьте его в начале разговора.",
  messenger: () => "Скопируйте первое сообщение и отправьте его в начале разговора.",
  self_service: () => "Обращаться в поддержку не нужно: сделайте это сами по шагам из памятки.",
};

/**
 * @param {HTMLElement} node
 * @param {string} text
 */
function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

export class DraftPanel {
  /**
   * @param {import("./ui.js").Wizard} w
   * @param {HTMLElement} panel  the draft section, already holding the elements found below
   */
  constructor(w, panel) {
    this.w = w;
    /** @param {string} selector */
    const q = (selector) => /** @type {HTMLElement} */ (panel.querySelector(selector));
    this.dom = {
      title: q("[data-draft-title]"),
      hint: q("[data-draft-hint]"),
      formFields: q("[data-form-fields]"),
      draft: q("[data-draft]"),
      actions: q("[data-draft-actions]"),
      copyStatus: q("[data-copy-status]"),
      mailtoNote: q("[data-mailto-note]"),
    };
    this.formSig = "";
    this.copyTimer = 0;
    w.on(q('[data-action="copy"]'), "click", () => this.copy());
    w.on(q('[data-action="download"]'), "click", () => this.download());
  }

  reset() {
    this.dom.draft.textContent = "";
    this.formSig = "";
  }

  /** @param {TriageResult} result */
  render(result) {
    const w = this.w;
    const r = this.dom;
    const draft = result.draft;
    const provider = w.provider(result.provider.id);
    // Only what changed is written: an equal textContent still replaces the node and costs a layout.
    setText(r.title, DRAFT_TITLES[draft.kind] || "Черновик обращения");
    setText(r.hint, (DRAFT_HINTS[draft.kind] || (() => ""))(provider.clientArea));
    setText(r.draft, draft.text);

    const formSig = JSON.stringify([draft.kind, draft.subject, draft.fields, draft.field_titles]);
    if (this.formSig !== formSig) {
      this.formSig = formSig;
      const rows = [];
      if (draft.kind === "ticket") {
        if (draft.subject) rows.push(["Тема", draft.subject]);
        if (draft.fields.department) rows.push(["Отдел", draft.field_titles.department || draft.fields.department]);
        if (draft.fields.priority) rows.push(["Приоритет", draft.field_titles.priority || draft.fields.priority]);
        if (draft.fields.service) rows.push(["Услуга", draft.fields.service]);
      }
      r.formFields.replaceChildren(...rows.flatMap(([k, v]) => [el("dt", { text: k }), el("dd", { text: v })]));
      r.formFields.hidden = rows.length === 0;
    }

    // mailto: only for e-mail channels, only a mailto: URL.
    let mail = r.actions.querySelector("a[data-mailto]");
    const wantsMail = draft.kind === "email" && typeof draft.mailto === "string" && draft.mailto.startsWith("mailto:");
    if (wantsMail) {
      if (!mail) {
        mail = el("a", { class: "md-button", "data-mailto": "", text: "Открыть в почтовой программе" });
        w.on(mail, "click", () => {
          // A cut body says "paste it from the clipboard": make that true.
          const shown = w.resultStep.shown;
          if (shown && shown.draft.mailto_truncated) this.copy();
        });
        /** @type {Element} */ (r.actions.querySelector('[data-action="download"]')).after(mail);
      }
      if (mail.getAttribute("href") !== draft.mailto) mail.setAttribute("href", /** @type {string} */ (draft.mailto));
    } else if (mail) {
      mail.remove();
    }
    const notes = [];
    if (wantsMail && draft.mailto_truncated) {
      notes.push("Текст не поместился в ссылку целиком — вставьте его из буфера обмена: " +
        "при нажатии на кнопку мы скопируем полный текст.");
    }
    if (wantsMail && !result.channel.address) {
      notes.push("Адрес поддержки провайдер на своей странице не указывает — впишите получателя сами.");
    }
    setText(r.mailtoNote, notes.join(" "));
    if (r.mailtoNote.hidden !== (notes.length === 0)) r.mailtoNote.hidden = notes.length === 0;
  }

  async copy() {
    const w = this.w;
    const shown = w.resultStep.shown;
    const text = shown ? shown.draft.text : "";
    if (!text) return;
    const ok = await copyText(text);
    const status = this.dom.copyStatus;
    status.textContent = ok ? "Скопировано" : "Не получилось скопировать: выделите текст черновика и нажмите Ctrl+C.";
    w.cancel(this.copyTimer);
    this.copyTimer = w.later(() => {
      status.textContent = "";
    }, 6000);
  }

  download() {
    const w = this.w;
    const result = w.resultStep.shown;
    if (!result) return;
    const draft = result.draft;
    const provider = w.provider(result.provider.id);
    const title = draft.kind === "ticket" || draft.kind === "email" ? null : DRAFT_TITLES[draft.kind];
    downloadText(draft.text, fileName([provider.name, title, draft.subject || (result.topic && result.topic.title)]));
  }
}
