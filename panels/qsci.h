#pragma once

// QScintilla's headers use the `signals` and `slots` keywords, which QT_NO_KEYWORDS (set for all
// our code) removes. Include QScintilla through this header only.
#define signals Q_SIGNALS
#define slots Q_SLOTS
#include <Qsci/qsciscintilla.h>
#include <Qsci/qscilexercustom.h>
#include <Qsci/qscilexerjavascript.h>
#include <Qsci/qscilexerjson.h>
#include <Qsci/qscilexerpython.h>
#include <Qsci/qsciapis.h>
#undef signals
#undef slots
