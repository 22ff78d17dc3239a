# lisa_set_warnings(target): the warning set every lisa target builds with.
function(lisa_set_warnings target)
  target_compile_options(${target} PRIVATE -Wall -Wextra -Wpedantic -Wshadow -Wnon-virtual-dtor
    -Wold-style-cast -Wcast-align -Woverloaded-virtual
    $<$<BOOL:${LISA_WARNINGS_AS_ERRORS}>:-Werror>)
endfunction()
