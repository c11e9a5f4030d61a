/* What a sighted reader is shown of the open page, block by block, in reading (DOM) order.
 *
 * Run by `pipeline.verify.displayed` through page.evaluate; returns [{text, where, block,
 * navigation}], one per block shown (paragraph, list item, heading, cell, term, caption ...):
 * `where` names the block for a person ("<li> 3 of <main>"), `block` is its place among the
 * page's elements (the same in every colour scheme), `navigation` is true inside a navigation
 * landmark. A word counts as shown only when the browser lays it out and paints it where the
 * reader can get to: not inside `hidden`, `display: none` or
 * `aria-hidden="true"` (which also hides it from screen readers), with a box at least
 * MIN_GLYPH pixels tall, found by hit testing at its own place (so `visibility: hidden`,
 * clipping by `clip`, `clip-path` or `overflow: hidden`, a place off the page that no
 * scrolling reaches, and a picture or a box with a background (at least OPAQUE) laid over it
 * all count as not shown), and in a colour that stands out from the
 * background under it (its contrast, opacity included, at least SAME_COLOUR).
 * Text of CSS ::before and ::after is shown text too.
 *
 * Text meant for the ear only (the "visually hidden" recipe: an absolutely positioned box of
 * at most one pixel that clips its content) is kept when it sits inside a block that is
 * otherwise shown, as a screen reader's user hears it with that block; a block shown only
 * that way is not shown. The pipeline's own pages use no such text: their only text placed
 * off the page is the web page's skip link, shown when it has the keyboard's focus, which
 * this reading (without focus) leaves out.
 */
() => {
  const BLOCKS = 'p, li, h1, h2, h3, h4, h5, h6, td, th, dt, dd, figcaption, caption, blockquote, pre, legend, summary';
  const REGIONS = ['main', 'header, footer', 'body'];
  const SKIPPED = new Set(['script', 'style', 'template', 'head', 'title', 'noscript']);
  const SAME_COLOUR = 1.5;
  const MIN_GLYPH = 4;
  const WHITE = [255, 255, 255];
  const OPAQUE = 0.5;
  const PICTURES = new Set(['img', 'svg', 'video', 'canvas', 'iframe', 'object', 'embed']);

  const parse = colour => {
    const match = /^rgba?\(([\d.]+),\s*([\d.]+),\s*([\d.]+)(?:,\s*([\d.]+))?\)$/.exec(colour);
    return match ? [+match[1], +match[2], +match[3], match[4] === undefined ? 1 : +match[4]] : null;
  };
  const luminance = rgb => {
    const [r, g, b] = rgb.map(value => value / 255).map(c => (c <= 0.04045 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * b;
  };
  const contrast = (one, other) => {
    const [light, dark] = [luminance(one), luminance(other)].sort((a, b) => b - a);
    return (light + 0.05) / (dark + 0.05);
  };
  const over = (top, alpha, below) => top.map((value, index) => value * alpha + below[index] * (1 - alpha));

  const background = element => {
    const layers = [];
    for (let node = element; node && node.nodeType === Node.ELEMENT_NODE; node = node.parentElement) {
      const colour = parse(getComputedStyle(node).backgroundColor);
      if (colour && colour[3] > 0) layers.push(colour);
      if (colour && colour[3] >= 1) break;
    }
    return layers.reduceRight((below, colour) => over(colour.slice(0, 3), colour[3], below), WHITE);
  };
  const opacity = element => {
    let product = 1;
    for (let node = element; node && node.nodeType === Node.ELEMENT_NODE; node = node.parentElement) product *= +getComputedStyle(node).opacity;
    return product;
  };
  const standsOut = new Map();
  const colourStandsOut = element => {
    if (!standsOut.has(element)) {
      const ink = parse(getComputedStyle(element).webkitTextFillColor);
      const under = background(element);
      standsOut.set(element, !ink || contrast(over(ink.slice(0, 3), ink[3] * opacity(element), under), under) >= SAME_COLOUR);
    }
    return standsOut.get(element);
  };

  const forTheEar = element => {
    const style = getComputedStyle(element);
    const box = element.getBoundingClientRect();
    const clips = style.overflow !== 'visible' || style.clip !== 'auto' || style.clipPath !== 'none';
    return (style.position === 'absolute' || style.position === 'fixed') && box.width <= 1 && box.height <= 1 && clips;
  };
  const earOnly = (element, block) => {
    for (let node = element; node && node !== block.parentElement; node = node.parentElement) if (forTheEar(node)) return true;
    return false;
  };

  const SCROLLS = /auto|scroll/;
  const scrollTowards = (rect, element) => {
    const [x, y] = [rect.left + rect.width / 2, rect.top + rect.height / 2];
    for (let node = element; node && node !== document.documentElement; node = node.parentElement) {
      const style = getComputedStyle(node);
      if (!SCROLLS.test(style.overflowX) && !SCROLLS.test(style.overflowY)) continue;
      const box = node.getBoundingClientRect();
      node.scrollBy({ left: x - (box.left + box.width / 2), top: y - (box.top + box.height / 2), behavior: 'instant' });
    }
    scrollBy({ left: x - innerWidth / 2, top: y - innerHeight / 2, behavior: 'instant' });
  };
  const covers = (box, element) =>
    !box.contains(element) && (PICTURES.has(box.localName) || (parse(getComputedStyle(box).backgroundColor) || [0, 0, 0, 0])[3] >= OPAQUE);
  const hit = (range, element) => {
    const rect = range.getBoundingClientRect();
    const [x, y] = [rect.left + rect.width / 2, rect.top + rect.height / 2];
    if (rect.width < 1 || rect.height < MIN_GLYPH || x < 0 || y < 0 || x >= innerWidth || y >= innerHeight) return false;
    const stack = document.elementsFromPoint(x, y);
    const depth = stack.indexOf(element);
    return depth >= 0 && !stack.slice(0, depth).some(box => covers(box, element));
  };
  // Where the reader would scroll to see it (the window, and any box that scrolls), if not in view.
  const shownAt = (range, element) => hit(range, element) || (scrollTowards(range.getBoundingClientRect(), element), hit(range, element));

  const language = document.documentElement.lang || undefined;
  const segmenter = new Intl.Segmenter(language, { granularity: 'word' });
  const blockOf = element => element.closest(BLOCKS) || boxOf(element);
  const boxOf = element => {
    let node = element;
    while (node.parentElement && /^(inline|contents)/.test(getComputedStyle(node).display)) node = node.parentElement;
    return node;
  };
  const passages = new Map();
  const passage = block => {
    if (!passages.has(block)) passages.set(block, { block, seen: [], shown: false });
    return passages.get(block);
  };

  const readText = node => {
    const element = node.parentElement;
    const entry = passage(blockOf(element));
    if (!node.data.trim()) return void entry.seen.push(' ');
    const inked = colourStandsOut(element);
    const range = document.createRange();
    for (const { segment, index } of segmenter.segment(node.data)) {
      if (!segment.trim()) {
        entry.seen.push(' ');
        continue;
      }
      range.setStart(node, index);
      range.setEnd(node, index + segment.length);
      if (inked && shownAt(range, element)) entry.seen.push(segment), (entry.shown = true);
      else if (earOnly(element, entry.block)) entry.seen.push(segment);
    }
  };
  const generated = (element, pseudo) => {
    const content = getComputedStyle(element, pseudo).content;
    const strings = [...content.matchAll(/"((?:[^"\\]|\\.)*)"/g)].map(match => match[1]).join('');
    if (strings.trim() && element.getClientRects().length && colourStandsOut(element)) {
      const entry = passage(blockOf(element));
      entry.seen.push(strings), (entry.shown = true);
    }
  };
  const read = element => {
    if (SKIPPED.has(element.localName) || element.getAttribute('aria-hidden') === 'true' || !element.checkVisibility()) return;
    generated(element, '::before');
    for (const child of element.childNodes) {
      if (child.nodeType === Node.TEXT_NODE) readText(child);
      else if (child.nodeType === Node.ELEMENT_NODE) read(child);
    }
    generated(element, '::after');
  };

  const where = block => {
    const region = REGIONS.map(region => block.closest(region)).find(Boolean) || document.body;
    const same = [...region.querySelectorAll(block.localName)];
    const place = region === block ? '' : ` ${same.indexOf(block) + 1} of <${region.localName}>`;
    return `<${block.localName}>${place}`;
  };

  // Hit testing skips boxes that take no pointer events: for this reading, every box takes them.
  const everyBoxHit = new CSSStyleSheet();
  everyBoxHit.replaceSync('* { pointer-events: auto !important; }');
  document.adoptedStyleSheets = [...document.adoptedStyleSheets, everyBoxHit];
  const start = { left: scrollX, top: scrollY };
  read(document.body);
  scrollTo({ ...start, behavior: 'instant' });
  document.adoptedStyleSheets = document.adoptedStyleSheets.filter(sheet => sheet !== everyBoxHit);
  const elements = new Map([...document.body.querySelectorAll('*')].map((element, index) => [element, index + 1]));
  return [...passages.values()]
    .filter(entry => entry.shown)
    .map(entry => ({
      text: entry.seen.join('').replace(/\s+/g, ' ').trim(),
      where: where(entry.block),
      block: elements.get(entry.block) || 0,
      navigation: entry.block.closest('nav, [role="navigation"]') !== null,
    }))
    .filter(entry => entry.text);
}
