// Charts of the figures page, drawn with the vendored Chart.js from the page's JSON data
// (json_script): no inline script, so the CSP holds. Every chart repeats a table shown next
// to it, which is what screen readers and the printed page use.
(() => {
  const source = document.getElementById("figures-data");
  if (!source || typeof Chart === "undefined") return;
  const data = JSON.parse(source.textContent);
  const colors = ["#0b6e99", "#d9822b", "#5b8c3a", "#8e5ea2", "#c0392b", "#7f8c8d"];
  const reduced = window.matchMedia("(prefers-reduced-motion: reduce)").matches;
  const common = { responsive: true, maintainAspectRatio: false, animation: reduced ? false : undefined };

  function place(name) {
    const box = document.querySelector(`[data-chart="${name}"]`);
    return box ? { box, canvas: box.querySelector("canvas") } : null;
  }

  const series = place("series");
  if (series && data.series.labels.length) {
    series.box.style.height = "260px";
    new Chart(series.canvas, {
      type: data.series.labels.length > 1 ? "line" : "bar",
      data: {
        labels: data.series.labels,
        datasets: data.series.datasets.map((set, i) => ({
          ...set, borderColor: colors[i], backgroundColor: colors[i], spanGaps: false,
        })),
      },
      options: { ...common, scales: { y: { beginAtZero: true, ticks: { precision: 0 } } } },
    });
  } else if (series) {
    series.box.remove();
  }

  for (const [name, bar] of Object.entries(data.bars)) {
    const spot = place(name);
    if (!spot) continue;
    if (!bar.data.some((v) => v)) { spot.box.remove(); continue; }
    spot.box.style.height = `${Math.max(120, bar.labels.length * 26 + 40)}px`;
    new Chart(spot.canvas, {
      type: "bar",
      data: {
        labels: bar.labels,
        datasets: [{ label: bar.label, data: bar.data, backgroundColor: colors[0] }],
      },
      options: {
        ...common,
        indexAxis: "y",
        plugins: { legend: { display: false } },
        scales: { x: { beginAtZero: true, ticks: { precision: 0 } } },
      },
    });
  }
})();
