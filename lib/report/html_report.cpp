#include "finn/report/html_report.h"

#include "finn/hw/registry.h"
#include "finn/ir/custom_op_schemas.h"
#include "finn/report/part_fit.h"
#include "finn/transform/folding.h"

#include <algorithm>
#include <cstdio>
#include <sstream>
#include <vector>

namespace finn::report {
namespace {

struct LayerRow {
    std::string name;
    std::string folding;
    std::int64_t cycles = 0;
    hw::Resources resources;
};

std::string escape(const std::string& text) {
    std::string out;
    for (char c : text) {
        switch (c) {
        case '<':
            out += "&lt;";
            break;
        case '>':
            out += "&gt;";
            break;
        case '&':
            out += "&amp;";
            break;
        case '"':
            out += "&quot;";
            break;
        default:
            out += c;
        }
    }
    return out;
}

std::string fixed(double v, int decimals) {
    char buf[64];
    std::snprintf(buf, sizeof buf, "%.*f", decimals, v);
    return buf;
}

// One horizontal bar per layer, scaled to the largest value; `highlight` marks a row.
std::string bar_chart(const std::string& title, const std::vector<LayerRow>& rows,
                      std::int64_t (*value)(const LayerRow&), const std::string& highlight) {
    const int label_w = 220, bar_w = 460, row_h = 22;
    std::int64_t max = 1;
    for (const auto& r : rows)
        max = std::max(max, value(r));
    std::ostringstream svg;
    const int height = static_cast<int>(rows.size()) * row_h + 30;
    svg << "<h2>" << escape(title) << "</h2>\n<svg xmlns=\"http://www.w3.org/2000/svg\" width=\""
        << label_w + bar_w + 100 << "\" height=\"" << height << "\" role=\"img\">\n";
    int y = 10;
    for (const auto& r : rows) {
        const std::int64_t v = value(r);
        const int w = static_cast<int>(static_cast<double>(v) / static_cast<double>(max) * bar_w);
        const char* colour = r.name == highlight ? "#d62728" : "#1f77b4";
        svg << "<text x=\"" << label_w - 6 << "\" y=\"" << y + 15
            << "\" text-anchor=\"end\" font-size=\"12\">" << escape(r.name) << "</text>"
            << "<rect x=\"" << label_w << "\" y=\"" << y + 3 << "\" width=\"" << w << "\" height=\""
            << row_h - 6 << "\" fill=\"" << colour << "\"/>"
            << "<text x=\"" << label_w + w + 4 << "\" y=\"" << y + 15 << "\" font-size=\"12\">" << v
            << "</text>\n";
        y += row_h;
    }
    svg << "</svg>\n";
    return svg.str();
}

std::string folding_of(const hw::HwLayer& layer) {
    std::string out;
    for (const auto& f : layer.folding_attributes())
        out += (out.empty() ? "" : ", ") + f.attr + "=" + std::to_string(layer.get_int(f.attr));
    return out.empty() ? "-" : out;
}

const char* level_class(ResourceFit::Level level) {
    switch (level) {
    case ResourceFit::Level::Over:
        return " class=\"over\"";
    case ResourceFit::Level::Close:
        return " class=\"close\"";
    default:
        return "";
    }
}

// The totals against the part: over capacity in red, beyond the recommended share in amber.
std::string fit_table(const PartFit& fit) {
    std::ostringstream html;
    html << "<h2>Fit on " << escape(fit.fpga_part) << "</h2>\n";
    if (!fit.capacity) {
        html << "<p>Finn has no capacity figures for this part; the totals of the layers' "
                "estimates are in the last row of the layer table.</p>\n";
        return html.str();
    }
    html << "<p>Sum of the layers' estimates against the part's capacity ("
         << escape(std::string(fit.capacity->source))
         << "). Amber: above the share Xilinx recommends for timing closure; red: over "
            "capacity.</p>\n<table>\n<tr><th>resource</th><th>estimate</th><th>available</th>"
            "<th>share</th><th>recommended</th><th>largest layers</th></tr>\n";
    for (const ResourceFit& r : fit.resources) {
        std::string largest;
        for (const auto& [name, used] : r.largest)
            largest += (largest.empty() ? "" : ", ") + name + " (" + std::to_string(used) + ")";
        html << "<tr" << level_class(r.level) << "><td>" << r.resource << "</td><td>" << r.used
             << "</td><td>" << r.available << "</td><td>"
             << (r.available > 0 ? fixed(100.0 * r.share(), 1) + " %" : "-") << "</td><td>"
             << fixed(100.0 * r.guideline, 0) << " %</td><td>"
             << escape(largest.empty() ? "-" : largest) << "</td></tr>\n";
    }
    html << "</table>\n";
    return html.str();
}

} // namespace

std::string estimate_html(Model& model, const std::string& fpga_part, double synth_clk_period_ns) {
    std::vector<LayerRow> rows;
    for (Node node : model.nodes()) {
        if (node.domain() != domains::kFpgaDataflowHls &&
            node.domain() != domains::kFpgaDataflowRtl)
            continue;
        LayerRow row{node.name(), "-", 0, {}};
        if (auto layer = hw::make_layer(model, node)) {
            row.folding = folding_of(*layer);
            row.cycles = layer->exp_cycles();
            row.resources = layer->resources(fpga_part);
        }
        rows.push_back(std::move(row));
    }
    Model annotated = model;
    AnnotateCycles().run(annotated);
    const DataflowPerformance perf = dataflow_performance(annotated);
    const double fps = perf.max_cycles > 0 ? (1e9 / synth_clk_period_ns) / perf.max_cycles : 0.0;

    std::ostringstream html;
    html << "<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n"
         << "<title>Finn estimates</title>\n<style>\n"
         << "body{font-family:sans-serif;margin:2em;color:#222}\n"
         << "table{border-collapse:collapse}td,th{border:1px solid #ccc;padding:3px 8px;"
            "text-align:right}\n"
         << "td:first-child,th:first-child{text-align:left}\n"
         << "tr.bottleneck{background:#fbe3e3}\ntr.close{background:#fdf0c8}\n"
         << "tr.over{background:#f4b6b6;font-weight:bold}\n</style>\n</head>\n<body>\n"
         << "<h1>Dataflow estimates</h1>\n<p>FPGA part " << escape(fpga_part) << ", clock "
         << fixed(synth_clk_period_ns, 3) << " ns. Bottleneck <b>"
         << escape(perf.max_cycles_node_name) << "</b> with " << perf.max_cycles
         << " cycles: estimated throughput " << fixed(fps, 1) << " frames/s, critical path "
         << perf.critical_path_cycles << " cycles ("
         << fixed(static_cast<double>(perf.critical_path_cycles) * synth_clk_period_ns, 1)
         << " ns).</p>\n";
    html << fit_table(part_fit(model, fpga_part));
    html << bar_chart(
        "Expected cycles per layer", rows, [](const LayerRow& r) { return r.cycles; },
        perf.max_cycles_node_name);
    html << bar_chart(
        "LUT per layer", rows, [](const LayerRow& r) { return r.resources.lut; },
        perf.max_cycles_node_name);
    html << bar_chart(
        "BRAM_18K per layer", rows, [](const LayerRow& r) { return r.resources.bram_18k; },
        perf.max_cycles_node_name);
    html << "<h2>Layers</h2>\n<table>\n<tr><th>layer</th><th>folding</th><th>cycles</th>"
            "<th>LUT</th><th>BRAM_18K</th><th>URAM</th><th>DSP</th></tr>\n";
    for (const auto& r : rows) {
        html << "<tr" << (r.name == perf.max_cycles_node_name ? " class=\"bottleneck\"" : "")
             << "><td>" << escape(r.name) << "</td><td>" << escape(r.folding) << "</td><td>"
             << r.cycles << "</td><td>" << r.resources.lut << "</td><td>" << r.resources.bram_18k
             << "</td><td>" << r.resources.uram << "</td><td>" << r.resources.dsp << "</td></tr>\n";
    }
    hw::Resources total;
    for (const auto& r : rows) {
        total.lut += r.resources.lut;
        total.bram_18k += r.resources.bram_18k;
        total.uram += r.resources.uram;
        total.dsp += r.resources.dsp;
    }
    html << "<tr><th>total</th><th></th><th></th><th>" << total.lut << "</th><th>" << total.bram_18k
         << "</th><th>" << total.uram << "</th><th>" << total.dsp << "</th></tr>\n";
    html << "</table>\n</body>\n</html>\n";
    return html.str();
}

} // namespace finn::report
