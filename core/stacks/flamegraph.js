// Flame graph interaction: click a frame to zoom into it, "Reset Zoom" to
// go back, "Search" (or Ctrl-F) to highlight frames matching a regular
// expression, frame details under the pointer in the bottom line.
(function () {
	var svg = document.documentElement;
	var W = +svg.getAttribute("data-width"), PAD = 10, CH = 7;
	var frames = Array.prototype.slice.call(document.querySelectorAll("g.f"));
	var details = document.getElementById("details"), matched = document.getElementById("matched");
	var unzoom = document.getElementById("unzoom"), total = +svg.getAttribute("data-total");
	var unit = svg.getAttribute("data-unit");
	frames.forEach(function (g) {
		g.fx = +g.getAttribute("data-x"); g.fw = +g.getAttribute("data-w");
		g.depth = +g.getAttribute("data-d"); g.name = g.getAttribute("data-n");
		g.value = +g.getAttribute("data-v");
		g.rect = g.querySelector("rect"); g.label = g.querySelector("text");
		g.fill = g.rect.getAttribute("fill");
		g.addEventListener("click", function () { zoom(g); });
		g.addEventListener("mouseover", function () { details.textContent = describe(g); });
		g.addEventListener("mouseout", function () { details.textContent = " "; });
	});
	function describe(g) {
		return g.name + " (" + g.value.toLocaleString() + " " + unit + ", " + (100 * g.value / total).toFixed(2) + "%)";
	}
	function fit(g, width) {
		var n = Math.floor((width - 6) / CH);
		g.label.textContent = n < 3 ? "" : (g.name.length <= n ? g.name : g.name.substring(0, n - 2) + "..");
	}
	function place(g, x, w) {
		g.rect.setAttribute("x", PAD + x * (W - 2 * PAD));
		g.rect.setAttribute("width", Math.max(0, w * (W - 2 * PAD) - 0.5));
		g.label.setAttribute("x", PAD + x * (W - 2 * PAD) + 3);
		fit(g, w * (W - 2 * PAD));
	}
	function zoom(t) {
		frames.forEach(function (g) {
			var inside = g.fx >= t.fx - 1e-12 && g.fx + g.fw <= t.fx + t.fw + 1e-12;
			if (g.depth >= t.depth && inside) {
				g.style.display = ""; g.style.opacity = "";
				place(g, (g.fx - t.fx) / t.fw, g.fw / t.fw);
			} else if (g.depth < t.depth && g.fx <= t.fx + 1e-12 && g.fx + g.fw >= t.fx + t.fw - 1e-12) {
				g.style.display = ""; g.style.opacity = "0.5";
				place(g, 0, 1);
			} else {
				g.style.display = "none";
			}
		});
		unzoom.style.opacity = t.depth > 0 ? "1" : "0";
	}
	unzoom.addEventListener("click", function () { zoom(frames[0]); });
	function search(re) {
		var sum = 0, covered = [];
		frames.forEach(function (g) {
			var hit = re && re.test(g.name);
			g.rect.setAttribute("fill", hit ? "rgb(230,0,230)" : g.fill);
			if (!hit) return;
			// Count a matched frame once, not again under a matched parent.
			for (var i = 0; i < covered.length; i++) {
				var c = covered[i];
				if (g.fx >= c.fx - 1e-12 && g.fx + g.fw <= c.fx + c.fw + 1e-12 && g.depth > c.depth) return;
			}
			covered.push(g); sum += g.value;
		});
		matched.textContent = re ? "Matched: " + (100 * sum / total).toFixed(1) + "%" : " ";
	}
	function ask() {
		var s = prompt("Search for frames matching (regular expression):", "");
		if (s === null) return;
		try { search(s ? new RegExp(s) : null); } catch (e) { matched.textContent = "bad expression: " + e.message; }
	}
	document.getElementById("search").addEventListener("click", ask);
	window.addEventListener("keydown", function (e) {
		if ((e.ctrlKey || e.metaKey) && e.key === "f") { e.preventDefault(); ask(); }
		if (e.key === "Escape") { search(null); zoom(frames[0]); }
	});
	// frames[0] is the root ("all"): fit every label to its width.
	if (frames.length) zoom(frames[0]);
	// A link can open the graph zoomed or searched: #zoom=NAME, #search=RE.
	location.hash.replace(/^#/, "").split("&").forEach(function (kv) {
		var i = kv.indexOf("="), k = kv.substring(0, i), v = decodeURIComponent(kv.substring(i + 1));
		if (k === "zoom") {
			for (var j = 0; j < frames.length; j++) if (frames[j].name === v) { zoom(frames[j]); break; }
		} else if (k === "search") {
			try { search(new RegExp(v)); } catch (e) {}
		}
	});
	svg.setAttribute("data-ready", "1");
	window.flamegraph = { zoom: zoom, search: search, frames: frames };
})();
