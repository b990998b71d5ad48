// The road network lives in ConvoyRoads (the graph, network positions, shortest paths); the route
// model and everything that imports ConvoyRoute see its types (RoadNetwork, GeodesicPath, PathVertex).
@_exported import ConvoyRoads
