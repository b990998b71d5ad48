import CProj
import Synchronization

/// Transforms coordinates between two coordinate reference systems with PROJ
/// (for example EPSG:4326 → EPSG:32637, WGS 84 / UTM zone 37N).
///
/// Axis order is always the GIS order, longitude/easting first: the transformation is normalised
/// with `proj_normalize_for_visualization`, so EPSG:4326 input is `(lon, lat)` although the EPSG
/// definition is latitude-first.
///
/// PROJ's threading rule is that a `PJ_CONTEXT` and the `PJ` objects made in it are used by one
/// thread at a time. Each transformer owns its own context and keeps both behind a mutex, so a
/// transformer can be shared between tasks; for parallel throughput make one per task.
public final class CoordinateTransformer: Sendable {
    public let source: String
    public let target: String
    private let state: Mutex<ProjHandles>

    /// Creates the transformation. Network access (PROJ's CDN grids) is disabled.
    /// - Throws: ``ProjError`` with PROJ's own message when a CRS is unknown or no operation exists.
    public init(from source: String, to target: String) throws(ProjError) {
        self.source = source
        self.target = target
        let operation = "creating the transformation \(source) → \(target)"
        let log = ProjLog()
        guard let context = proj_context_create() else {
            throw ProjError(operation: operation, code: 0, messages: ["proj_context_create returned NULL"])
        }
        log.install(on: context)
        proj_context_set_enable_network(context, 0)
        guard let raw = proj_create_crs_to_crs(context, source, target, nil) else {
            let error = log.error(operation: operation, context: context)
            proj_context_destroy(context)
            throw error
        }
        let normalized = proj_normalize_for_visualization(context, raw)
        proj_destroy(raw)
        guard let normalized else {
            let error = log.error(operation: operation, context: context)
            proj_context_destroy(context)
            throw error
        }
        state = Mutex(ProjHandles(context: context, transformation: normalized, log: log))
    }

    deinit {
        state.withLock { handles in
            proj_destroy(handles.transformation)
            proj_context_destroy(handles.context)
        }
    }

    /// Transforms one position `(x, y)` in the source CRS's GIS order (lon/lat or easting/northing).
    public func transform(x: Double, y: Double) throws(ProjError) -> (x: Double, y: Double) {
        try transform([(x, y)])[0]
    }

    /// Transforms many positions with one lock and one PROJ call per position.
    public func transform(_ points: [(x: Double, y: Double)]) throws(ProjError) -> [(x: Double, y: Double)] {
        let result: Result<[(x: Double, y: Double)], ProjError> = state.withLock { handles in
            var output: [(x: Double, y: Double)] = []
            output.reserveCapacity(points.count)
            for (index, point) in points.enumerated() {
                handles.log.messages.removeAll()
                proj_errno_reset(handles.transformation)
                let out = proj_trans(handles.transformation, PJ_FWD, proj_coord(point.x, point.y, 0, 0))
                let errno = proj_errno(handles.transformation)
                if errno != 0 || !out.xy.x.isFinite || !out.xy.y.isFinite {
                    return .failure(
                        handles.log.error(
                            operation: "transforming point \(index) (\(point.x), \(point.y)) from \(source) to \(target)",
                            context: handles.context, code: errno))
                }
                output.append((out.xy.x, out.xy.y))
            }
            return .success(output)
        }
        return try result.get()
    }
}

/// The PROJ handles of one transformer; only touched under its mutex.
private struct ProjHandles: @unchecked Sendable {
    let context: OpaquePointer
    let transformation: OpaquePointer
    let log: ProjLog
}

/// Collects the messages PROJ logs on one context, so errors carry PROJ's own words
/// (`proj_context_errno_string` alone is vague). Only used while its context is in use,
/// which the owning transformer serialises.
private final class ProjLog: @unchecked Sendable {
    var messages: [String] = []

    func install(on context: OpaquePointer) {
        proj_log_level(context, PJ_LOG_ERROR)
        proj_log_func(context, Unmanaged.passUnretained(self).toOpaque()) { appData, _, message in
            guard let appData, let message else { return }
            let log = Unmanaged<ProjLog>.fromOpaque(appData).takeUnretainedValue()
            log.messages.append(String(cString: message))
        }
    }

    func error(operation: String, context: OpaquePointer, code: Int32? = nil) -> ProjError {
        let errno = code ?? proj_context_errno(context)
        var messages = self.messages
        if messages.isEmpty, errno != 0, let text = proj_context_errno_string(context, errno) {
            messages.append(String(cString: text))
        }
        self.messages.removeAll()
        return ProjError(operation: operation, code: errno, messages: messages)
    }
}
