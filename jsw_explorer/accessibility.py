"""Fixes for accessibility faults in Streamlit's own page furniture (found by axe-core).

Streamlit (1.50, still in 1.67) renders a few ARIA attributes that WCAG 2.2 checks reject (aria-expanded on the
sidebar <section>, the main-menu <span> and table toolbars), an unnamed main-menu button, and a 2px-wide search
input in multiselects. We cannot change its markup from Python, so a tiny same-origin script
corrects the attributes whenever the page changes, and a style block sizes the input. Each fix
is named in tests/test_accessibility.py's axe run; remove a fix once Streamlit ships it.
"""

from __future__ import annotations

import streamlit as st

STYLE = """
<style>
/* WCAG 2.2 target size: the multiselect's search box must be at least 24px wide */
[data-testid="stMultiSelect"] input[role="combobox"] { min-width: 24px !important; }
/* AA contrast: links in captions are otherwise drawn at 60% opacity (3:1) */
[data-testid="stCaptionContainer"] { opacity: 1 !important; color: #505A5F !important; }
[data-testid="stCaptionContainer"] a { color: #12436D !important; }
</style>
"""

SCRIPT = """
<script>
(function () {
  const doc = window.parent.document;
  function fix() {
    // aria-expanded / aria-haspopup are only allowed on interactive roles; Streamlit puts them
    // on plain wrappers (the sidebar <section>, the main-menu <span>, table toolbars' <div>s).
    doc.querySelectorAll('[aria-expanded], [aria-haspopup]').forEach(el => {
      const tag = el.tagName.toLowerCase();
      if (!el.getAttribute('role') && ['section', 'span', 'div'].includes(tag)) {
        el.removeAttribute('aria-expanded'); el.removeAttribute('aria-haspopup');
      }
    });
    doc.querySelectorAll('[data-testid="stMainMenu"] button').forEach(el => {
      if (!el.getAttribute('aria-label')) el.setAttribute('aria-label', 'Main menu');
    });
    // Vega's SVG renderer labels an empty layer (a layer with no data) as an unlabelled graphic
    doc.querySelectorAll('g[role="graphics-symbol"]').forEach(el => {
      if (!el.getAttribute('aria-label') && !el.childElementCount) el.setAttribute('aria-hidden', 'true');
    });
    doc.querySelectorAll('details > summary').forEach(el => {
      if (!el.textContent.trim() && !el.getAttribute('aria-label')) el.setAttribute('aria-label', 'Chart actions');
    });
  }
  fix();
  doc.body.setAttribute('data-a11y-patched', '1');
  if (!window.parent.__jswA11yObserver) {
    window.parent.__jswA11yObserver = new MutationObserver(fix);
    window.parent.__jswA11yObserver.observe(doc.body, {subtree: true, childList: true, attributes: true,
                                                       attributeFilter: ['aria-expanded', 'aria-haspopup', 'aria-label']});
  }
})();
</script>
"""


def apply_accessibility_fixes() -> None:
    """Call once per run, from streamlit_app.py."""
    st.html(STYLE)
    with st.sidebar:  # our own constant script, never user content
        st.iframe(SCRIPT, height=1)
