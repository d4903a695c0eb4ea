/* API docs (web/api_docs.html): what Swagger UI draws without a name or keyboard access, fixed
   whenever it draws it: the dialog's close button and the copy buttons are icons with no name
   (axe button-name, WCAG 4.1.2); request and response boxes scroll sideways but take no focus
   (axe scrollable-region-focusable, WCAG 2.1.1). */
const NAMES = [
  [".swagger-ui .close-modal", "닫기"],
  [".swagger-ui .copy-to-clipboard > button", "복사"],
];

function fixSwaggerMarkup() {
  for (const [selector, name] of NAMES) {
    for (const button of document.querySelectorAll(`${selector}:not([aria-label])`)) {
      button.setAttribute("aria-label", name);
    }
  }
  for (const box of document.querySelectorAll(".swagger-ui pre:not([tabindex])")) {
    box.tabIndex = 0;
  }
}

new MutationObserver(fixSwaggerMarkup).observe(document.body, { childList: true, subtree: true });
