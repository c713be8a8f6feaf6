// The draft panel of the result step: the form fields above the message (draft.header), the draft
// text, the engine's warnings beside it, and the actions (copy, download, open in the mail program).
// Everything shown comes from the engine's draft as returned; nothing here composes draft text.
import { el } from "./dom.js";
import { copyText, downloadText, fileName } from "./actions.js";

/** @typedef {import("./protocol.js").TriageResult} TriageResult */
/** @typedef {import("./protocol.js").Warning} Warning */

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
    "Поля формы заполните так, как указано над черновиком.",
  email: () => "Скопируйте текст в письмо или откройте его сразу в почтовой программе.",
  phone: () => "Держите сценарий перед глазами во время звонка: что подготовить, " +
    "что сотрудник не сможет сделать по телефону и что сказать.",
  chat: () => "Скопируйте первое сообщение и отправьте его в начале разговора.",
  messenger: () => "Скопируйте первое сообщение и отправьте его в начале разговора.",
  self_service: () => "Обращаться в поддержку не нужно: сделайте это сами по шагам из памятки.",
};

/**
 * @typedef {object} DraftDom
 * @property {HTMLElement} draftSection  title, hint, header, the draft
 * @property {HTMLElement} actions       the action bar (sticky at the bottom on phones)
 * @property {HTMLElement} warningsBox   the engine's warnings about the draft
 */

/**
 * @param {HTMLElement} node
 * @param {string} text
 */
function setText(node, text) {
  if (node.textContent !== text) node.textContent = text;
}

/**
 * The draft's text in `pre`, one text node per line: only the lines that changed are written (a keystroke in a
 * detail field changes one or two), so the browser reshapes and repaints those, not the whole draft.
 * @param {HTMLElement} pre
 * @param {string} text
 */
export function setLines(pre, text) {
  const lines = text.split("\n").map((line, i, all) => (i < all.length - 1 ? `${line}\n` : line));
  if (lines[lines.length - 1] === "") lines.pop();
  const nodes = /** @type {Text[]} */ ([...pre.childNodes]);
  if (nodes.some((node) => node.nodeType !== Node.TEXT_NODE)) {
    pre.replaceChildren(...lines);
    return;
  }
  let start = 0;
  while (start < nodes.length && start < lines.length && nodes[start].data === lines[start]) start++;
  let endNodes = nodes.length;
  let endLines = lines.length;
  while (endNodes > start && endLines > start && nodes[endNodes - 1].data === lines[endLines - 1]) {
    endNodes--;
    endLines--;
  }
  const common = Math.min(endNodes, endLines) - start;
  for (let i = 0; i < common; i++) nodes[start + i].data = lines[start + i];
  if (endLines > endNodes) {
    const before = nodes[endNodes] || null;
    for (const line of lines.slice(start + common, endLines)) pre.insertBefore(document.createTextNode(line), before);
  }
  for (const node of nodes.slice(start + common, endNodes)) node.remove();
}

export class DraftPanel {
  /**
   * @param {import("./ui.js").Wizard} w
   * @param {DraftDom} dom
   */
  constructor(w, dom) {
    this.w = w;
    /** @param {string} selector */
    const q = (selector) => /** @type {HTMLElement} */ (dom.draftSection.querySelector(selector));
    this.dom = {
      title: q("[data-draft-title]"),
      hint: q("[data-draft-hint]"),
      formFields: q("[data-form-fields]"),
      draft: q("[data-draft]"),
      warnings: /** @type {HTMLElement} */ (dom.warningsBox.querySelector("[data-draft-warnings]")),
      mailtoNote: q("[data-mailto-note]"),
      actions: dom.actions,
      copyStatus: /** @type {HTMLElement} */ (dom.actions.querySelector("[data-copy-status]")),
    };
    this.sigs = { header: "", warnings: "" };
    this.copyTimer = 0;
    w.on(/** @type {Element} */ (dom.actions.querySelector('[data-action="copy"]')), "click", () => this.copy());
    w.on(/** @type {Element} */ (dom.actions.querySelector('[data-action="download"]')), "click", () => this.download());
  }

  reset() {
    this.dom.draft.textContent = "";
    this.sigs = { header: "", warnings: "" };
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
    setLines(r.draft, draft.text);

    // The ticket form's fields (Тема, Отдел, Приоритет, Услуга), as the engine lists them, to pick in
    // the form; the draft text starts with them too.
    const header = draft.kind === "ticket" && Array.isArray(draft.header) ? draft.header : [];
    const headerSig = JSON.stringify(header);
    if (this.sigs.header !== headerSig) {
      this.sigs.header = headerSig;
      r.formFields.replaceChildren(...header.flatMap((h) => [el("dt", { text: h.label }), el("dd", { text: h.value })]));
      r.formFields.hidden = header.length === 0;
    }
    this.renderWarnings(draft.warnings || []);

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
      notes.push("При нажатии на «Открыть в почтовой программе» мы скопируем полный текст: вставьте его в письмо.");
    }
    if (wantsMail && !result.channel.address) {
      notes.push("Адрес поддержки в источнике не указан — впишите получателя сами.");
    }
    setText(r.mailtoNote, notes.join(" "));
    if (r.mailtoNote.hidden !== (notes.length === 0)) r.mailtoNote.hidden = notes.length === 0;
  }

  /**
   * The engine's warnings about the draft (what is missing or wrong), beside the draft and never in
   * it; a warning about a field offers to fill that field.
   * @param {Warning[]} warnings
   */
  renderWarnings(warnings) {
    const w = this.w;
    const fields = w.resultStep.fields;
    const sig = JSON.stringify([warnings, warnings.map((wn) => Boolean(wn.field && fields.field(wn.field)))]);
    if (this.sigs.warnings === sig) return;
    this.sigs.warnings = sig;
    const items = warnings.map((wn) => {
      const item = el("li", { class: `triage__message triage__message--${wn.severity === "error" ? "error" : "warning"}`,
        "data-code": wn.code, "data-severity": wn.severity, "data-warning-field": wn.field || null }, wn.message);
      const name = wn.field;
      if (name && name !== "text" && fields.field(name)) {
        const button = el("button", { type: "button", class: "triage__link-button", "data-fill": name,
          text: `Заполнить: ${fields.label(name)}` });
        w.on(button, "click", () => fields.focusField(name));
        item.append(" ", button);
      }
      return item;
    });
    this.dom.warnings.replaceChildren(...items);
    /** @type {HTMLElement} */ (this.dom.warnings.parentElement).hidden = items.length === 0;
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
