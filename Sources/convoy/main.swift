// The convoy executable: all behaviour lives in the ConvoyCLI library.
import ConvoyCLI
import Foundation

exit(ConvoyCLI.main(Array(CommandLine.arguments.dropFirst())))
