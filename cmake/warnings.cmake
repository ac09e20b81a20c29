# Project-wide warning set. MSGR_WERROR turns them into errors (CI does).
set(MSGR_WARNINGS
  -Wall -Wextra -Wpedantic -Wshadow -Wformat=2 -Wstrict-prototypes
  -Wmissing-prototypes -Wold-style-definition -Wpointer-arith -Wcast-qual
  -Wwrite-strings -Wundef -Wvla -Wnull-dereference -Wimplicit-fallthrough)
if(MSGR_WERROR)
  list(APPEND MSGR_WARNINGS -Werror)
endif()

# Apply the project warnings to one target.
function(msgr_warnings target)
  target_compile_options(${target} PRIVATE ${MSGR_WARNINGS})
endfunction()
