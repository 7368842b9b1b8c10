// SPDX-License-Identifier: AGPL-3.0-or-later
// tandem.js — the little JavaScript Tandem uses, all of it optional: every
// page works without it. It marks the page as scripted (class "js" on
// <html>) and moves the focus to a refused form's error summary. On a wide
// screen, where CSS hides the menu button and shows the
// navigation, it opens the menu's <details> too, so that what is shown is
// also what the browser reports as open. On a narrow screen Escape closes the
// open menu and puts focus back on its button, and a click outside the menu
// closes it. On phones CSS draws tables as stacked rows; some browsers then
// stop telling screen readers they are tables, so the table elements get
// their roles written out (table, rowgroup, row, columnheader, rowheader,
// cell), which every browser keeps. Loaded with "defer" from /static/ (the
// Content-Security-Policy allows no inline script).
(function () {
	"use strict";
	document.documentElement.classList.add("js");

	// A refused form: the error summary takes the focus (autofocus does it
	// without JavaScript in most browsers; this covers the rest).
	var summary = document.getElementById("error-summary");
	if (summary && document.activeElement !== summary)
		summary.focus();

	var roles = {TABLE: "table", THEAD: "rowgroup", TBODY: "rowgroup", TFOOT: "rowgroup", TR: "row", TD: "cell"};
	document.querySelectorAll("main table, main table *").forEach(function (el) {
		var role = roles[el.tagName];
		if (el.tagName === "TH") {
			var scope = el.getAttribute("scope");
			var inHead = el.parentElement && el.parentElement.parentElement &&
				     el.parentElement.parentElement.tagName === "THEAD";
			role = scope === "col" || (inHead && scope !== "row") ? "columnheader" : "rowheader";
		}
		if (role && !el.hasAttribute("role"))
			el.setAttribute("role", role);
	});

	var menu = document.querySelector("details.site-menu");
	if (!menu)
		return;
	var button = menu.querySelector("summary");
	var openedForWideScreen = false;

	function buttonHidden() {
		return window.getComputedStyle(button).display === "none";
	}

	function fitScreen() {
		if (buttonHidden()) {
			if (!menu.open) {
				menu.open = true;
				openedForWideScreen = true;
			}
		} else if (openedForWideScreen) {
			menu.open = false;
			openedForWideScreen = false;
		}
	}

	fitScreen();
	window.addEventListener("resize", fitScreen);
	document.addEventListener("keydown", function (event) {
		if (event.key === "Escape" && menu.open && !buttonHidden()) {
			menu.open = false;
			button.focus();
		}
	});
	document.addEventListener("click", function (event) {
		if (menu.open && !buttonHidden() && !menu.contains(event.target))
			menu.open = false;
	});
	button.addEventListener("click", function () {
		openedForWideScreen = false;
	});
})();
