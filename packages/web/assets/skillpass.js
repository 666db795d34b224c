// skillpass pages: the only script, and a light one. The pages work without it; it adds
// (1) copy buttons: <button type="button" data-copy="#id"> copies the text of the element #id;
// (2) polling: <div data-poll="/path" aria-live="polite"> is refreshed every 2 s with the HTML
//     the server renders at /path, until the answer carries the header `X-Poll-Done: 1`.
// No logic of the packages lives here: the server renders everything shown.

(() => {
  for (const button of document.querySelectorAll('button[data-copy]')) {
    button.hidden = false;
    button.addEventListener('click', async () => {
      const target = document.querySelector(button.getAttribute('data-copy'));
      if (!target || !navigator.clipboard) return;
      await navigator.clipboard.writeText(target.textContent.trim());
      const done = button.getAttribute('data-copied');
      if (done) button.textContent = done;
    });
  }
  for (const region of document.querySelectorAll('[data-poll]')) {
    const url = region.getAttribute('data-poll');
    if (!url?.startsWith('/') || url.startsWith('//')) continue;
    const tick = async () => {
      try {
        const res = await fetch(url, { credentials: 'same-origin', headers: { Accept: 'text/html' } });
        if (res.ok) {
          region.innerHTML = await res.text();
          if (res.headers.get('X-Poll-Done') === '1') return;
        }
      } catch {
        // the server is unreachable for a moment: try again at the next tick
      }
      setTimeout(tick, 2000);
    };
    setTimeout(tick, 2000);
  }
})();
