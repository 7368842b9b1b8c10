// SPDX-License-Identifier: AGPL-3.0-or-later
// tandem.js — the little JavaScript Tandem uses, all of it optional: every
// page works without it. It marks the page as scripted (class "js" on
// <html>), lets Escape close the open menu and puts focus back on its
// button, and closes the menu when a click lands outside it. Loaded with
// "defer" from /static/ (the Content-Security-Policy allows no inline script).
(function () {
	"use strict";
	document.documentElement.classList.add("js");

	var menu = document.querySelector("details.site-menu");
	if (!menu)
		return;
	var button = menu.querySelector("summary");

	document.addEventListener("keydown", function (event) {
		if (event.key === "Escape" && menu.open) {
			menu.open = false;
			button.focus();
		}
	});
	document.addEventListener("click", function (event) {
		if (menu.open && !menu.contains(event.target))
			menu.open = false;
	});
})();
