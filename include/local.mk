# Public headers, installed under include/evirt/.
evirtinclude_HEADERS += \
	include/evirt/evirt.h \
	include/evirt/common.h \
	include/evirt/loop.h \
	include/evirt/error.h \
	include/evirt/error-codes.h \
	include/evirt/error-domains.h \
	include/evirt/op.h \
	include/evirt/enums.h \
	include/evirt/types.h \
	include/evirt/conn.h \
	include/evirt/domain.h \
	include/evirt/handles.h
