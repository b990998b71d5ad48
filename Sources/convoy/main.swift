// The convoy executable: all behaviour lives in the ConvoyCLI library.
import ConvoyCLI
import Foundation

exit(ConvoyCLI.run(Array(CommandLine.arguments.dropFirst())))
