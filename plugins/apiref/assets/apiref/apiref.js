/* Deep links and the version switcher of the API reference pages.

   Deep links: a fragment that is no element id on the page is mapped to one, so links in the
   forms other renderers write land on the right element:
     #/operation/ContainerList          (leading "/" of newer renderers)
     #tag/Container/operation/ContainerList
     #tag/Container/paths/~1containers~1json/get
     #operation/PostPluginsEnable       (an alias from the page's data-fragment-aliases:
                                          the plugin's fragment_aliases option and the
                                          former operationIds of renamed operations)
   A fragment that still matches nothing falls back to the nearest enclosing element
   (a property to its definition, a parameter to its operation), or the top of the page, and
   a notice says what is missing.

   Version switcher: a <select> built from the plain version links. Choosing a version opens
   the same place (the fragment in view, else the operation, tag or definition at the top of
   the window) in that version, with ?from=<version> so that the page there can say when it
   lacks that place. Without JavaScript the plain links remain. */
(function () {
  "use strict";

  var root = document.querySelector(".apiref");

  function aliases() {
    if (!root) return {};
    try {
      return JSON.parse(root.getAttribute("data-fragment-aliases") || "{}");
    } catch (error) {
      return {};
    }
  }

  function decodeFragment(hash) {
    var fragment = hash.charAt(0) === "#" ? hash.slice(1) : hash;
    try {
      return decodeURIComponent(fragment);
    } catch (error) {
      return fragment;
    }
  }

  function exists(id) {
    return id !== "" && document.getElementById(id) !== null;
  }

  /* Unescape a JSON pointer token: "~1containers~1json" -> "/containers/json". */
  function pointerToken(token) {
    return token.replace(/~1/g, "/").replace(/~0/g, "~");
  }

  function operationForRoute(method, path) {
    var sections = document.querySelectorAll("section[data-method][data-path]");
    for (var i = 0; i < sections.length; i++) {
      var section = sections[i];
      if (section.getAttribute("data-method") === method &&
          section.getAttribute("data-path") === path) {
        return section.getAttribute("data-context");
      }
    }
    return null;
  }

  /* The candidate ids a fragment may mean, most exact first. */
  function candidates(fragment) {
    var list = [fragment];
    var map = aliases();
    var bare = fragment.replace(/^\/+/, "");
    list.push(bare);
    var tagged = /^tag\/[^/]+\/(operation\/.+)$/.exec(bare);
    if (tagged) list.push(tagged[1]);
    var route = /^(?:tag\/[^/]+\/)?paths\/([^/]+)\/([a-z]+)$/.exec(bare);
    if (route) {
      var id = operationForRoute(route[2], pointerToken(route[1]));
      if (id) list.push(id);
    }
    list.slice().forEach(function (item) {
      Object.keys(map).forEach(function (old) {
        if (item === old || item.indexOf(old + "/") === 0) {
          list.push(map[old] + item.slice(old.length));
        }
      });
    });
    return list;
  }

  /* Resolve a fragment to {id, exact}; id is "" when nothing on the page matches. */
  function resolve(fragment) {
    var list = candidates(fragment);
    for (var i = 0; i < list.length; i++) {
      if (exists(list[i])) return { id: list[i], exact: true };
    }
    for (var j = 0; j < list.length; j++) {
      var parts = list[j].split("/");
      while (parts.length > 2) {
        parts.pop();
        var parent = parts.join("/");
        if (exists(parent)) return { id: parent, exact: false };
      }
    }
    return { id: "", exact: false };
  }

  function describe(fragment) {
    var bare = fragment.replace(/^\/+/, "");
    var match = /^(operation|definition|tag|section)\/([^/]+)(?:\/(.+))?$/.exec(bare);
    if (!match) return "“" + bare + "”";
    var kinds = { operation: "operation", definition: "definition", tag: "tag", section: "section" };
    var what = kinds[match[1]] + " " + match[2];
    if (match[3]) {
      var leaf = match[3].split("/").pop();
      what = "“" + leaf + "” of the " + what;
    }
    return "the " + what;
  }

  function showNotice(message) {
    var notice = document.querySelector(".apiref-notice");
    if (!notice) {
      var article = document.querySelector("article") || document.body;
      notice = document.createElement("div");
      notice.className = "apiref-notice admonition info";
      notice.setAttribute("role", "status");
      article.insertBefore(notice, article.firstChild);
    }
    notice.textContent = message;
    notice.hidden = false;
  }

  function pageVersion() {
    return root ? root.getAttribute("data-api-version") : null;
  }

  function goTo(id) {
    if (decodeFragment(location.hash) !== id) {
      location.replace("#" + id);
    } else {
      document.getElementById(id).scrollIntoView();
    }
  }

  /* The bodies of operations and definitions are laid out only near the window
     (content-visibility in apiref.css), so the browser places a fragment's element using
     estimated heights for the bodies above it. The body just above is then laid out for real
     and pushes the element down. This scrolls the element back to the top until its place
     holds for three frames (at most 3 s), unless the reader scrolls first. */
  var settling = null;

  function keepInView(id) {
    var element = document.getElementById(id);
    if (!element) return;
    if (settling) settling.stop();
    var state = { stopped: false, stable: 0, start: performance.now() };
    var events = ["wheel", "touchmove", "keydown", "mousedown"];
    function stop() {
      state.stopped = true;
      events.forEach(function (name) {
        window.removeEventListener(name, stop, true);
      });
    }
    events.forEach(function (name) {
      window.addEventListener(name, stop, { capture: true, passive: true });
    });
    settling = { stop: stop };
    function check() {
      if (state.stopped) return;
      var margin = parseFloat(getComputedStyle(element).scrollMarginTop) || 0;
      var offset = element.getBoundingClientRect().top - margin;
      var before = window.scrollY;
      if (Math.abs(offset) > 2) element.scrollIntoView();
      // Near the ends of the page the element cannot reach the top; that counts as held.
      if (window.scrollY === before) {
        state.stable += 1;
      } else {
        state.stable = 0;
      }
      if (state.stable >= 3 || performance.now() - state.start > 3000) {
        stop();
        return;
      }
      requestAnimationFrame(check);
    }
    requestAnimationFrame(check);
  }

  /* Map the current fragment to an element, and say what is missing. */
  function land(arrival) {
    var params = new URLSearchParams(location.search);
    var from = arrival ? params.get("from") : null;
    var fragment = decodeFragment(location.hash);
    var missing = arrival ? params.get("missing") : null;
    if (arrival && (from || missing)) {
      // Drop the switcher's parameters, so the address a reader copies is the plain one.
      params.delete("from");
      params.delete("missing");
      var query = params.toString();
      history.replaceState(null, "", location.pathname + (query ? "?" + query : "") + location.hash);
    }
    if (!fragment && !missing) return;
    var wanted = fragment || missing;
    var target = resolve(wanted);
    if (target.id && target.id !== fragment) goTo(target.id);
    if (target.id) {
      keepInView(target.id);
      // The browser scrolls to the fragment once more when the page has loaded.
      if (document.readyState !== "complete") {
        window.addEventListener("load", function () {
          keepInView(target.id);
        }, { once: true });
      }
    }
    if (target.exact) return;
    var here = pageVersion() ? "API v" + pageVersion() : "this page";
    var message = (from ? "You came from API v" + from + ". " : "") +
      capitalise(describe(wanted)) + " is not in " + here + "; ";
    message += target.id ? "showing " + describe(target.id) + " instead." : "showing the top of the page.";
    showNotice(message);
  }

  function capitalise(text) {
    return text.charAt(0).toUpperCase() + text.slice(1);
  }

  /* The place a reader is at: the fragment's element when it is in view, else the last
     operation, tag, definition or section whose top is above the middle of the header line. */
  function currentPlace() {
    var fragment = decodeFragment(location.hash);
    var target = fragment ? resolve(fragment) : { id: "" };
    if (target.id) {
      var box = document.getElementById(target.id).getBoundingClientRect();
      if (box.bottom > 0 && box.top < window.innerHeight) return target.id;
    }
    var header = document.querySelector(".md-header");
    var offset = (header ? header.getBoundingClientRect().height : 0) + 16;
    var place = "";
    var sections = document.querySelectorAll(".apiref [data-context]");
    for (var i = 0; i < sections.length; i++) {
      if (sections[i].getBoundingClientRect().top <= offset) {
        place = sections[i].getAttribute("data-context");
      }
    }
    return place;
  }

  function switchTo(url) {
    var place = currentPlace();
    var version = pageVersion();
    var query = version ? "?from=" + encodeURIComponent(version) : "";
    location.href = url.split("#")[0].split("?")[0] + query + (place ? "#" + place : "");
  }

  function buildSwitcher() {
    var nav = root && root.querySelector(".apiref-versions");
    if (!nav) return;
    var links = nav.querySelectorAll("a[data-version]");
    var label = document.createElement("label");
    label.className = "apiref-switcher";
    label.appendChild(document.createTextNode("API version "));
    var select = document.createElement("select");
    select.setAttribute("aria-label", "API version");
    for (var i = 0; i < links.length; i++) {
      var option = document.createElement("option");
      option.value = links[i].getAttribute("href");
      option.textContent = "v" + links[i].getAttribute("data-version");
      if (links[i].getAttribute("aria-current") === "page") option.selected = true;
      select.appendChild(option);
      links[i].addEventListener("click", function (event) {
        if (event.ctrlKey || event.metaKey || event.shiftKey || event.button !== 0) return;
        event.preventDefault();
        switchTo(this.getAttribute("href"));
      });
    }
    select.addEventListener("change", function () {
      switchTo(select.value);
    });
    label.appendChild(select);
    nav.parentNode.insertBefore(label, nav);
    root.classList.add("apiref--scripted");
  }

  /* Copy buttons: a code example gets its button when the pointer or the keyboard focus
     first comes near it, so that loading a page with hundreds of examples adds none. */
  function copyText(text) {
    if (navigator.clipboard && window.isSecureContext) {
      return navigator.clipboard.writeText(text);
    }
    var area = document.createElement("textarea");
    area.value = text;
    area.setAttribute("readonly", "");
    area.style.position = "fixed";
    area.style.opacity = "0";
    document.body.appendChild(area);
    area.select();
    var copied = document.execCommand("copy");
    document.body.removeChild(area);
    return copied ? Promise.resolve() : Promise.reject(new Error("copy failed"));
  }

  function addCopyButton(block) {
    if (!block || block.parentNode.classList.contains("apiref-code-box")) return;
    var box = document.createElement("div");
    box.className = "apiref-code-box";
    block.parentNode.insertBefore(box, block);
    box.appendChild(block);
    var button = document.createElement("button");
    button.type = "button";
    button.className = "apiref-copy";
    button.textContent = "Copy";
    button.setAttribute("aria-label", "Copy this example to the clipboard");
    button.addEventListener("click", function () {
      copyText(block.textContent).then(function () {
        button.textContent = "Copied";
        button.setAttribute("data-copied", "");
        setTimeout(function () {
          button.textContent = "Copy";
          button.removeAttribute("data-copied");
        }, 1500);
      }, function () {
        button.textContent = "Copy failed";
      });
    });
    box.appendChild(button);
  }

  function watchCodeBlocks() {
    if (!root) return;
    root.addEventListener("pointerover", function (event) {
      var target = event.target instanceof Element ? event.target : null;
      addCopyButton(target && target.closest("pre.apiref-code"));
    });
    // A summary that gets the focus opens onto its example, so that example gets a button.
    root.addEventListener("focusin", function (event) {
      var target = event.target instanceof Element ? event.target : null;
      var details = target && target.closest("details");
      if (details && target.tagName === "SUMMARY") {
        addCopyButton(details.querySelector(":scope > pre.apiref-code"));
      }
    });
  }

  buildSwitcher();
  watchCodeBlocks();
  land(true);
  window.addEventListener("hashchange", function () {
    land(false);
  });
})();
