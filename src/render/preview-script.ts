/**
 * The only script a draft preview carries (visitor pages never do): it lets the editor and the
 * preview point at the same section. Sections arrive wrapped in `data-mosaic-section="<index>"`
 * (made box-less here so layouts, sticky headers included, stay as visitors see them). A click on
 * one posts `{ type: 'mosaic:select', index }` to the editor's origin, which is the only origin
 * whose `{ type: 'mosaic:highlight', index }` is obeyed. It is served inline and allowed by its
 * hash (see `previewScriptHash`), never by 'unsafe-inline'.
 */
export const PREVIEW_SCRIPT = `(function () {
  var editor = document.currentScript && document.currentScript.getAttribute('data-editor');
  var marked = Array.prototype.slice.call(document.querySelectorAll('[data-mosaic-section]'));
  var paint = function (index) {
    marked.forEach(function (wrapper) {
      var on = wrapper.getAttribute('data-mosaic-section') === String(index);
      Array.prototype.forEach.call(wrapper.children, function (child) {
        child.style.outline = on ? '3px solid #2563eb' : '';
        child.style.outlineOffset = on ? '-3px' : '';
      });
    });
  };
  marked.forEach(function (wrapper) { wrapper.style.display = 'contents'; });
  document.addEventListener('click', function (event) {
    var wrapper = event.target instanceof Element ? event.target.closest('[data-mosaic-section]') : null;
    if (!wrapper || !editor) return;
    event.preventDefault();
    var index = Number(wrapper.getAttribute('data-mosaic-section'));
    paint(index);
    window.parent.postMessage({ type: 'mosaic:select', index: index }, editor);
  }, true);
  window.addEventListener('message', function (event) {
    if (event.source !== window.parent || event.origin !== editor) return;
    if (event.data && event.data.type === 'mosaic:highlight') paint(event.data.index);
  });
})();`;
