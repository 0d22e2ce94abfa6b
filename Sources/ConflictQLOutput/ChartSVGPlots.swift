// Scatters and maps as SVG. A scatter is a dot per row over two round axes, coloured by
// series. A map draws the country outlines ConflictQL ships (Natural Earth, see Boundaries)
// in an equirectangular projection whose standard parallel is the middle of the points, the
// points over them with an area that grows with their number, a size legend, a scale bar and
// the projection named under it.

import ConflictQLCore
import ConflictQLData
import ConflictQLSemantics

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

extension ChartSVG {
    // MARK: Scatter

    func scatter(_ data: ChartData, _ body: inout [String]) -> Double {
        let xs = data.points.map(\.x), ys = data.points.map(\.y)
        let xTicks = axisTicks(xs.min() ?? 0, xs.max() ?? 0, count: 6), yTicks = axisTicks(ys.min() ?? 0, ys.max() ?? 0, count: 5)
        let tickWidth = Double(yTicks.map { formatNumber($0).count }.max() ?? 1) * ChartSVG.characterWidth
        let left = 48 + tickWidth, right = width - 20, top = 50.0, bottom = top + plotHeight
        func x(_ v: Double) -> Double { left + (v - xTicks.first!) / (xTicks.last! - xTicks.first!) * (right - left) }
        func y(_ v: Double) -> Double { bottom - (v - yTicks.first!) / (yTicks.last! - yTicks.first!) * (bottom - top) }
        for tick in yTicks {
            body.append(line(left, y(tick), right, y(tick), stroke: tick == 0 ? "#333" : "#ddd"))
            body.append(text(left - 6, y(tick) + 4, formatNumber(tick), anchor: "end", extra: ##" fill="#333""##))
        }
        for tick in xTicks {
            body.append(line(x(tick), top, x(tick), bottom, stroke: tick == 0 ? "#333" : "#eee"))
            body.append(text(x(tick), bottom + 18, formatNumber(tick), anchor: "middle", extra: ##" fill="#333""##))
        }
        body.append(yTitle(data.options.yTitle ?? data.yName, x: 16, top: top, bottom: bottom))
        body.append(text((left + right) / 2, bottom + 40, data.options.xTitle ?? data.xName, anchor: "middle", extra: ##" fill="#333""##))
        for point in data.points {
            let colour = ChartSVG.palette[point.series % ChartSVG.palette.count]
            let name = data.series.count > 1 ? data.series[point.series].name + " · " : ""
            let tip = escape("\(name)\(data.xName) \(formatNumber(point.x)), \(data.yName) \(formatNumber(point.y))")
            body.append("<circle cx=\"\(n(x(point.x)))\" cy=\"\(n(y(point.y)))\" r=\"3.5\" fill=\"\(colour)\" fill-opacity=\"0.7\" data-series=\"\(escape(data.series[point.series].name))\" data-x=\"\(point.x)\" data-y=\"\(point.y)\"><title>\(tip)</title></circle>")
        }
        var legendY = bottom + 62
        if data.series.count > 1 {
            var lx = left
            for (s, series) in data.series.enumerated() {
                let name = clipped(series.name, 30)
                body.append("<circle cx=\"\(n(lx + 6))\" cy=\"\(n(legendY - 4))\" r=\"5\" fill=\"\(ChartSVG.palette[s % ChartSVG.palette.count])\"/>")
                body.append(text(lx + 16, legendY, name))
                lx += 16 + Double(name.count) * ChartSVG.characterWidth + 24
                if lx > right - 100 && s < data.series.count - 1 { lx = left; legendY += 20 }
            }
            legendY += 26
        }
        return legendY
    }

    // MARK: Map

    func map(_ data: ChartData, _ body: inout [String]) -> Double {
        let frame = MapFrame(data.framePoints, width: width - 40, height: plotHeight + 60)
        let left = 20.0, top = 46.0
        func px(_ longitude: Double) -> Double { left + frame.x(longitude) }
        func py(_ latitude: Double) -> Double { top + frame.y(latitude) }
        body.append("<defs><clipPath id=\"map-frame\"><rect x=\"\(n(left))\" y=\"\(n(top))\" width=\"\(n(frame.width))\" height=\"\(n(frame.height))\"/></clipPath></defs>")
        body.append("<rect x=\"\(n(left))\" y=\"\(n(top))\" width=\"\(n(frame.width))\" height=\"\(n(frame.height))\" fill=\"#eef3f7\" stroke=\"#999\"/>")
        var outlines: [String] = []
        for country in Boundaries.countries where frame.overlaps(country.box) {
            let path = country.rings.map { ring in
                "M" + ring.map { "\(n(px($0.longitude))) \(n(py($0.latitude)))" }.joined(separator: "L") + "Z"
            }.joined()
            outlines.append("<path d=\"\(path)\" fill=\"#f7f5ef\" stroke=\"#8a8a8a\" stroke-width=\"0.8\" fill-rule=\"evenodd\"><title>\(escape(country.name))</title></path>")
        }
        // Each country's name at the middle of its box, where that is inside the frame.
        for country in Boundaries.countries where frame.overlaps(country.box) {
            let x = px((country.box.west + country.box.east) / 2), y = py((country.box.south + country.box.north) / 2)
            guard x > left + 30, x < left + frame.width - 30, y > top + 12, y < top + frame.height - 8 else { continue }
            outlines.append(text(x, y, country.name, anchor: "middle", extra: ##" fill="#888" font-size="11" font-style="italic""##))
        }
        body.append("<g clip-path=\"url(#map-frame)\">\n" + outlines.joined(separator: "\n"))
        let largest = (data.points.compactMap(\.value) + data.areas.compactMap(\.value)).map { Swift.abs($0) }.max() ?? 0
        func radius(_ value: Double?) -> Double {
            guard let value, largest > 0 else { return 3 }
            return 2 + 12 * (Swift.abs(value) / largest).squareRoot()
        }
        if data.gridCells {
            // A choropleth: each cell's square filled by its class.
            for point in data.points {
                let x0 = px(point.x - 0.25), x1 = px(point.x + 0.25), y0 = py(point.y + 0.25), y1 = py(point.y - 0.25)
                let fill = ChartSVG.sequential[cellClass(point.value, largest)]
                let tip = escape("cell \(cellID(point)): \(data.valueName) \(point.value.map(formatNumber) ?? "null")")
                body.append("<rect x=\"\(n(x0))\" y=\"\(n(y0))\" width=\"\(n(x1 - x0))\" height=\"\(n(y1 - y0))\" fill=\"\(fill)\""
                            + " stroke=\"#fff\" stroke-width=\"0.3\" data-cell=\"\(cellID(point))\"><title>\(tip)</title></rect>")
            }
        }
        for area in data.areas {
            // A choropleth of regions: each filled by its class, its name and number in the tooltip.
            let path = area.rings.map { ring in
                "M" + ring.map { "\(n(px($0.longitude))) \(n(py($0.latitude)))" }.joined(separator: "L") + "Z"
            }.joined()
            let tip = escape("\(area.name): \(data.valueName) \(area.value.map(formatNumber) ?? "null")")
            body.append("<path d=\"\(path)\" fill=\"\(ChartSVG.sequential[cellClass(area.value, largest)])\" stroke=\"#fff\""
                        + " stroke-width=\"0.8\" fill-rule=\"evenodd\" data-region=\"\(escape(area.name))\"><title>\(tip)</title></path>")
        }
        for area in data.areas {
            let x = px((area.box.west + area.box.east) / 2), y = py((area.box.south + area.box.north) / 2)
            body.append(text(x, y, area.name, anchor: "middle", extra: ##" fill="#222" font-size="10""##))
        }
        // The largest drawn first, so that small points stay visible on top.
        for point in data.points.sorted(by: { Swift.abs($0.value ?? 0) > Swift.abs($1.value ?? 0) }) where !data.gridCells {
            var tip = point.label.map { $0 + ": " } ?? ""
            if let value = point.value { tip += "\(data.valueName) \(formatNumber(value)) " }
            tip += "(\(formatNumber(point.y)), \(formatNumber(point.x)))"
            body.append("<circle cx=\"\(n(px(point.x)))\" cy=\"\(n(py(point.y)))\" r=\"\(n(radius(point.value)))\" fill=\"\(ChartSVG.palette[3])\" fill-opacity=\"0.6\" stroke=\"#7a2e00\" stroke-width=\"0.6\" data-latitude=\"\(point.y)\" data-longitude=\"\(point.x)\"\(point.value.map { " data-value=\"\($0)\"" } ?? "")><title>\(escape(tip))</title></circle>")
        }
        body.append("</g>")
        let bottom = top + frame.height
        // The scale bar: a round distance about a fifth of the width, at the standard parallel.
        let kilometres = niceStep(frame.kilometresPerPixel * frame.width / 5 * 0.7)
        let barWidth = kilometres / frame.kilometresPerPixel
        body.append(line(left + 10, bottom - 14, left + 10 + barWidth, bottom - 14, stroke: "#333"))
        body.append(line(left + 10, bottom - 18, left + 10, bottom - 10, stroke: "#333"))
        body.append(line(left + 10 + barWidth, bottom - 18, left + 10 + barWidth, bottom - 10, stroke: "#333"))
        body.append(text(left + 10 + barWidth / 2, bottom - 20, "\(formatNumber(kilometres)) km", anchor: "middle", extra: ##" font-size="11""##))
        var legendY = bottom + 24
        if data.isChoropleth {
            var lx = left
            body.append(text(lx, legendY, data.valueName + ":", extra: ##" fill="#333""##))
            lx += Double(data.valueName.count + 2) * ChartSVG.characterWidth
            for k in 0..<5 {
                let range = "\(formatNumber(largest * Double(k) / 5)) to \(formatNumber(largest * Double(k + 1) / 5))"
                body.append("<rect x=\"\(n(lx))\" y=\"\(n(legendY - 11))\" width=\"14\" height=\"14\" fill=\"\(ChartSVG.sequential[k])\"/>")
                body.append(text(lx + 18, legendY, range))
                lx += 18 + Double(range.count) * ChartSVG.characterWidth + 14
            }
            legendY += 30
        } else if largest > 0 {
            var lx = left
            body.append(text(lx, legendY, data.valueName + ":", extra: ##" fill="#333""##))
            lx += Double(data.valueName.count + 2) * ChartSVG.characterWidth
            var sizes: [Double] = []
            for value in [largest, niceStep(largest / 4), niceStep(largest / 20)] where !sizes.contains(value) && value <= largest {
                sizes.append(value)
            }
            for value in sizes {
                let r = radius(value)
                body.append("<circle cx=\"\(n(lx + r))\" cy=\"\(n(legendY - 4))\" r=\"\(n(r))\" fill=\"\(ChartSVG.palette[3])\" fill-opacity=\"0.6\" stroke=\"#7a2e00\" stroke-width=\"0.6\"/>")
                body.append(text(lx + 2 * r + 4, legendY, formatNumber(value)))
                lx += 2 * r + 14 + Double(formatNumber(value).count) * ChartSVG.characterWidth
            }
            legendY += 30
        }
        body.append(text(left, legendY, String(format1(Int64((frame.standardParallel * 10).rounded())))
                         + "° standard parallel, equirectangular", extra: ##" fill="#555" font-size="11""##))
        return legendY + 22
    }
}

extension ChartSVG {
    /// ColorBrewer's sequential Reds, five classes (colour-blind safe), for choropleths.
    static let sequential = ["#fee5d9", "#fcae91", "#fb6a4a", "#de2d26", "#a50f15"]

    /// A cell's class of five of equal width from 0 to the largest value.
    func cellClass(_ value: Double?, _ largest: Double) -> Int {
        guard let value, largest > 0 else { return 0 }
        return min(4, max(0, toCells((Swift.abs(value) / largest * 5).rounded(.down))))
    }

    /// A cell's PRIO-GRID id again, from its centre.
    func cellID(_ point: ChartData.Point) -> Int {
        toCells(((point.y + 90) * 2).rounded(.down)) * 720 + toCells(((point.x + 180) * 2).rounded(.down)) + 1
    }
}

/// Where a map's points fall: the points' extent (or Mali, Burkina Faso and Niger when there
/// are none) padded by a tenth and at least a degree, projected equirectangularly with the
/// middle latitude as the standard parallel, fitted to the width and height.
struct MapFrame {
    var west: Double, east: Double, south: Double, north: Double
    var width: Double, height: Double
    var scale: Double
    var standardParallel: Double

    init(_ points: [ChartData.Point], width maximumWidth: Double, height maximumHeight: Double) {
        var west = points.map(\.x).min() ?? -12.3, east = points.map(\.x).max() ?? 16.0
        var south = points.map(\.y).min() ?? 9.4, north = points.map(\.y).max() ?? 25.0
        let padX = max(1, (east - west) * 0.1), padY = max(1, (north - south) * 0.1)
        west = max(-180, west - padX); east = min(180, east + padX)
        south = max(-85, south - padY); north = min(85, north + padY)
        standardParallel = (south + north) / 2
        let stretch = max(0.05, cos(standardParallel * Double.pi / 180))
        let spanX = (east - west) * stretch, spanY = north - south
        scale = min(maximumWidth / spanX, maximumHeight / spanY)
        width = spanX * scale
        height = spanY * scale
        // Widen the shorter side so the frame fills the space it is given (at most twice
        // the points' span, so a lone point is not lost in a continent).
        if height < maximumHeight {
            let extra = min(spanY, (maximumHeight - height) / scale / 2)
            south = max(-85, south - extra); north = min(85, north + extra)
            height = (north - south) * scale
        }
        if width < maximumWidth {
            let extra = min(east - west, (maximumWidth - width) / scale / stretch / 2)
            west = max(-180, west - extra); east = min(180, east + extra)
            width = (east - west) * stretch * scale
        }
        (self.west, self.east, self.south, self.north) = (west, east, south, north)
    }

    var stretch: Double { max(0.05, cos(standardParallel * Double.pi / 180)) }
    func x(_ longitude: Double) -> Double { (longitude - west) * stretch * scale }
    func y(_ latitude: Double) -> Double { (north - latitude) * scale }
    /// Kilometres a pixel spans along the standard parallel.
    var kilometresPerPixel: Double { 2 * Double.pi * 6371.0088 / 360 / scale }

    func overlaps(_ box: (west: Double, south: Double, east: Double, north: Double)) -> Bool {
        box.east >= west && box.west <= east && box.north >= south && box.south <= north
    }
}
